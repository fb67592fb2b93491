// Command program runs program.go as an Automation API inline program: Pulumi's Go language host is not built
// here (the Go module proxy does not serve it), and an inline program needs none.
//
// Usage: program <work dir with Pulumi.yaml> <stack> up|destroy [declare|read]
// (declare: program.go, the default; read: read.go).
// Stack config comes from CERTAPPLY_STACK_CONFIG, a JSON object of key -> {"value": string, "secret": bool}.
// The last stdout line is a JSON object: {"outputs": {...}, "changes": {...}}.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func run(workDir, stackName, op string, fn pulumi.RunFunc) error {
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, "certapply-go", fn, auto.WorkDir(workDir))
	if err != nil {
		return err
	}
	var config map[string]struct {
		Value  string `json:"value"`
		Secret bool   `json:"secret"`
	}
	if err := json.Unmarshal([]byte(os.Getenv("CERTAPPLY_STACK_CONFIG")), &config); err != nil {
		return fmt.Errorf("CERTAPPLY_STACK_CONFIG: %w", err)
	}
	all := auto.ConfigMap{}
	for k, v := range config {
		all[k] = auto.ConfigValue{Value: v.Value, Secret: v.Secret}
	}
	if err := stack.SetAllConfig(ctx, all); err != nil {
		return err
	}
	result := map[string]any{}
	switch op {
	case "up":
		res, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		outputs := map[string]any{}
		for k, v := range res.Outputs {
			outputs[k] = v.Value
		}
		result["outputs"], result["changes"] = outputs, res.Summary.ResourceChanges
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		result["outputs"], result["changes"] = map[string]any{}, res.Summary.ResourceChanges
	default:
		return fmt.Errorf("unknown operation %s: use up or destroy", op)
	}
	return json.NewEncoder(os.Stdout).Encode(result)
}

func main() {
	programs := map[string]pulumi.RunFunc{"declare": program, "read": readProgram}
	name := "declare"
	if len(os.Args) == 5 {
		name = os.Args[4]
	}
	fn, ok := programs[name]
	if !ok || len(os.Args) < 4 || len(os.Args) > 5 {
		fmt.Fprintln(os.Stderr, "usage: program <work dir> <stack> up|destroy [declare|read]")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], fn); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
