// Command pulumi-language-nodejs is certapply's stand-in for Pulumi's Node.js language host, whose module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) the Go module proxy does not serve.
//
// It answers only what the engine needs to start a Node.js source plugin (PulumiPlugin.yaml `runtime: nodejs`):
// RunPlugin runs `node <@pulumi/pulumi>/cmd/run-plugin <plugin directory> <args...>` in the request's working
// directory and environment, resolving run-plugin from the plugin directory as the real host does, and streams
// the process's stdout (where the plugin prints its port) and stderr back. Node.js programs are not run by it:
// the tests run them through the Automation API (inline programs), which needs no language host.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func (host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "0.0.0-certapply"}, nil
}

// InstallDependencies: a plugin directory whose package.json declares no dependencies (certapply's plugin/
// resolves everything from the package it sits in) needs nothing installed; anything else is refused here.
func (host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return err
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(manifest, &pkg); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), err)
	}
	if len(pkg.Dependencies) > 0 {
		return status.Errorf(codes.Unimplemented,
			"certapply's stand-in Node.js language host does not install dependencies; run npm install in %s", dir)
	}
	closer, stdout, _, err := rpcutil.MakeInstallDependenciesStreams(server, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s declares no dependencies: nothing to install\n", filepath.Join(dir, "package.json"))
	return closer.Close()
}

func (host) Run(context.Context, *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return nil, status.Error(codes.Unimplemented,
		"certapply's stand-in Node.js language host runs plugins only; run Node.js programs through the Automation API")
}

// nodeModule resolves a module specifier the way Node does from dir.
func nodeModule(ctx context.Context, node, spec, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, node, "-e",
		"process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))", spec, dir).Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (is @pulumi/pulumi installed there?): %w", spec, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func (host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram()
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run-plugin"
	}
	if runPath, err = nodeModule(ctx, node, runPath, dir); err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	cmd := exec.CommandContext(ctx, node, append([]string{runPath, dir}, req.GetArgs()...)...)
	cmd.Dir = req.GetPwd()
	cmd.Env = req.GetEnv()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exit.ExitCode())},
			})
		}
		return err
	}
	return closer.Close()
}

func main() {
	// Arguments: [flags...] <engine address>; the flags (tracing, root, ...) are not needed here.
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host{})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (certapply stand-in): %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (certapply stand-in): %v\n", err)
		os.Exit(1)
	}
}
