// Command pulumi-language-nodejs is a Node.js language host for the Pulumi engine.
//
// The official host is not obtainable on machines that only reach package registries (its Go
// module is not served there), so eos-network builds this one with the same CLI version. It
// speaks the LanguageRuntime gRPC protocol of github.com/pulumi/pulumi/sdk/v3 and delegates all
// program, policy-pack and plugin execution to the scripts shipped in the @pulumi/pulumi npm
// package (cmd/run, cmd/run-policy-pack, cmd/run-plugin), so the SDK's own behaviour is kept.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is stamped at build time to the CLI version it was built with.
var version = "0.0.0-dev"

// exitCodeErrorAlreadyReported is the exit code @pulumi/pulumi/cmd/run uses after it has already
// shown the user an actionable error through the engine (see run/index.js).
const exitCodeErrorAlreadyReported = 32

func main() {
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	tracing := flags.String("tracing", "", "Zipkin-compatible tracing endpoint")
	_ = flags.Bool("logtostderr", false, "log to stderr (accepted for engine compatibility)")
	_ = flags.Int("v", 0, "log verbosity (accepted for engine compatibility)")
	_ = flags.Bool("typescript", true, "deprecated runtime option, read from ProgramInfo instead")
	_ = flags.String("root", "", "deprecated project root, read from ProgramInfo instead")
	_ = flags.String("tsconfig", "", "deprecated runtime option, read from ProgramInfo instead")
	_ = flags.String("nodeargs", "", "deprecated runtime option, read from ProgramInfo instead")
	_ = flags.String("packagemanager", "", "deprecated runtime option, read from ProgramInfo instead")
	if err := flags.Parse(os.Args[1:]); err != nil {
		fatalf("%v", err)
	}
	if flags.NArg() < 1 {
		fatalf("missing required engine RPC address argument")
	}
	host := &languageHost{engineAddress: flags.Arg(flags.NArg() - 1), tracing: *tracing}

	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fatalf("could not start language host RPC server: %v", err)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatalf("language host RPC server stopped: %v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fatal: "+format+"\n", args...)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

func (h *languageHost) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports the resource plugins that the program's npm dependencies declare
// (package.json "pulumi": {"resource": true, ...}), like the official host does.
func (h *languageHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	pkgs, err := resourcePackages(programDirectory(req.GetInfo(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetRequiredPluginsResponse{}
	for _, p := range pkgs {
		resp.Plugins = append(resp.Plugins, &pulumirpc.PluginDependency{
			Name: p.name, Kind: "resource", Version: p.version, Server: p.server,
		})
	}
	return resp, nil
}

func (h *languageHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := resourcePackages(programDirectory(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range pkgs {
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Name: p.name, Kind: "resource", Version: p.version, Server: p.server,
		})
	}
	return resp, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := programDirectory(info, req.GetProgram())
	entryPoint := req.GetProgram()
	if info != nil && info.GetEntryPoint() != "" {
		entryPoint = info.GetEntryPoint()
	}
	if entryPoint == "" {
		entryPoint = "."
	}
	runScript, err := resolvePulumiScript(programDir, "run")
	if err != nil {
		return nil, err
	}
	opts := runtimeOptions(info)

	args := splitNodeArgs(opts.nodeArgs)
	args = append(args, runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+nonEmpty(req.GetPwd(), programDir),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if info != nil && info.GetRootDirectory() != "" {
		args = append(args, "--root-directory="+info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 1 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	if h.tracing != "" {
		args = append(args, "--tracing="+h.tracing)
	}
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("encoding secret config keys: %w", err)
	}

	cmd := exec.CommandContext(ctx, nodeExecutable(), args...)
	cmd.Dir = programDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeErrorAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin runs a plugin written in Node.js: policy packs (kind "analyzer") through
// @pulumi/pulumi/cmd/run-policy-pack, anything else through cmd/run-plugin.
func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	dir := programDirectory(req.GetInfo(), req.GetProgram())
	script := "run-plugin"
	if req.GetKind() == "analyzer" {
		script = "run-policy-pack"
	}
	scriptPath, err := resolvePulumiScript(dir, script)
	if err != nil {
		return err
	}
	opts := runtimeOptions(req.GetInfo())
	args := splitNodeArgs(opts.nodeArgs)
	args = append(args, scriptPath)
	if req.GetKind() == "analyzer" {
		// run-policy-pack takes <engine-address> <program>; the engine passes its address as the only arg.
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		// run-plugin takes <program> [args...].
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}

	cmd := exec.CommandContext(server.Context(), nodeExecutable(), args...)
	cmd.Dir = nonEmpty(req.GetPwd(), dir)
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	return streamCommand(cmd, func(stdout, stderr []byte) error {
		if stdout != nil {
			return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: stdout}})
		}
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: stderr}})
	}, func(code int) error {
		return server.Send(&pulumirpc.RunPluginResponse{
			Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
		})
	})
}

func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDirectory(req.GetInfo(), req.GetDirectory())
	sub := "install"
	if _, err := os.Stat(filepath.Join(dir, "package-lock.json")); err == nil {
		sub = "ci"
	}
	cmd := exec.CommandContext(server.Context(), "npm", sub, "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Env = os.Environ()
	failed := 0
	err := streamCommand(cmd, func(stdout, stderr []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: stdout, Stderr: stderr})
	}, func(code int) error {
		failed = code
		return nil
	})
	if err != nil {
		return err
	}
	if failed != 0 {
		return fmt.Errorf("npm %s failed with exit code %d in %s", sub, failed, dir)
	}
	return nil
}

func (h *languageHost) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node := nodeExecutable()
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not determine the node version: %w", err)
	}
	path, _ := exec.LookPath(node)
	return &pulumirpc.AboutResponse{Executable: path, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "v")}, nil
}

func (h *languageHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetProgram())
	var manifest struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := readJSON(filepath.Join(dir, "package.json"), &manifest); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for n := range manifest.Dependencies {
		names[n] = true
	}
	if req.GetTransitiveDependencies() {
		for n := range manifest.DevDependencies {
			names[n] = true
		}
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, n := range sortedKeys(names) {
		var installed struct {
			Version string `json:"version"`
		}
		if err := readJSON(filepath.Join(dir, "node_modules", n, "package.json"), &installed); err != nil {
			continue // declared but not installed: nothing to report
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: n, Version: installed.Version})
	}
	return resp, nil
}

type nodeOptions struct {
	typescript bool
	tsconfig   string
	nodeArgs   string
}

func runtimeOptions(info *pulumirpc.ProgramInfo) nodeOptions {
	opts := nodeOptions{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	fields := info.GetOptions().GetFields()
	if v, ok := fields["typescript"]; ok {
		if b, isBool := v.GetKind().(*structpb.Value_BoolValue); isBool {
			opts.typescript = b.BoolValue
		}
	}
	if v, ok := fields["tsconfig"]; ok {
		opts.tsconfig = v.GetStringValue()
	}
	if v, ok := fields["nodeargs"]; ok {
		opts.nodeArgs = v.GetStringValue()
	}
	return opts
}

func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if fallback != "" {
		if st, err := os.Stat(fallback); err == nil && st.IsDir() {
			return fallback
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// resolvePulumiScript finds @pulumi/pulumi/cmd/<name> in the node_modules visible from dir,
// walking up the tree as Node's own resolution does.
func resolvePulumiScript(dir, name string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", name)
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	return "", fmt.Errorf("it looks like the Pulumi SDK has not been installed: no node_modules/@pulumi/pulumi/cmd/%s "+
		"at or above %s; run `npm ci` there", name, dir)
}

type resourcePackage struct{ name, version, server string }

func resourcePackages(dir string) ([]resourcePackage, error) {
	root := filepath.Join(dir, "node_modules")
	var found []resourcePackage
	seen := map[string]bool{}
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var candidates []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "@") {
			scoped, _ := os.ReadDir(filepath.Join(root, e.Name()))
			for _, s := range scoped {
				candidates = append(candidates, filepath.Join(root, e.Name(), s.Name(), "package.json"))
			}
		} else {
			candidates = append(candidates, filepath.Join(root, e.Name(), "package.json"))
		}
	}
	for _, c := range candidates {
		var manifest struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Pulumi  struct {
				Resource bool   `json:"resource"`
				Name     string `json:"name"`
				Version  string `json:"version"`
				Server   string `json:"server"`
			} `json:"pulumi"`
		}
		if readJSON(c, &manifest) != nil || !manifest.Pulumi.Resource {
			continue
		}
		name := manifest.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(manifest.Name, "@pulumi/")
		}
		v := nonEmpty(manifest.Pulumi.Version, manifest.Version)
		if !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		if key := name + "@" + v; !seen[key] {
			seen[key] = true
			found = append(found, resourcePackage{name: name, version: v, server: manifest.Pulumi.Server})
		}
	}
	return found, nil
}

// streamCommand runs cmd, handing each chunk of its stdout/stderr to out, then its exit code to done.
func streamCommand(cmd *exec.Cmd, out func(stdout, stderr []byte) error, done func(code int) error) error {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var mu sync.Mutex
	var sendErr error
	var wg sync.WaitGroup
	pump := func(r io.Reader, isStdout bool) {
		defer wg.Done()
		br := bufio.NewReader(r)
		buf := make([]byte, 32*1024)
		for {
			n, rerr := br.Read(buf)
			if n > 0 {
				chunk := append([]byte(nil), buf[:n]...)
				mu.Lock()
				if sendErr == nil {
					if isStdout {
						sendErr = out(chunk, nil)
					} else {
						sendErr = out(nil, chunk)
					}
				}
				mu.Unlock()
			}
			if rerr != nil {
				return
			}
		}
	}
	wg.Add(2)
	go pump(stdout, true)
	go pump(stderr, false)
	wg.Wait()
	code := 0
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	if sendErr != nil {
		return sendErr
	}
	return done(code)
}

func nodeExecutable() string {
	if n := os.Getenv("PULUMI_NODEJS_NODE"); n != "" {
		return n
	}
	return "node"
}

func splitNodeArgs(s string) []string { return strings.Fields(s) }

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
