/** proxy-from-env ships no types: the one function certapply uses. */
declare module "proxy-from-env" {
  /** The proxy URL for `url` from `*_PROXY` / `NO_PROXY`; "" when the URL is reached directly. */
  export function getProxyForUrl(url: string | URL): string;
}
