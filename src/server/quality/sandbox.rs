//! Runs one command of the reviewed project in a sandbox: Debian's
//! `bubblewrap` with its own PID, IPC, UTS and (unless allowed) network
//! namespace; a copy of the repository at `/work` as the only writable tree
//! besides a private `/tmp`; `/usr` and the tool folders read-only; a handful
//! of `/etc` files; nothing else of the host. The environment is built from
//! nothing, so none of backlens's variables (database URL, GitHub token,
//! webhook secret) reach the command. Resource limits (processes, memory,
//! file size, CPU time, open files) are set with `setrlimit` before `bwrap`
//! starts; wall time is enforced here, and a timeout or a cancel kills the
//! whole process tree (the PID namespace dies with its first process).
//!
//! When backlens runs as root, the command would be exempt from the process
//! limit (the kernel never applies `RLIMIT_NPROC` to root), so the sandbox
//! drops to an unprivileged uid with `setpriv` inside the namespaces and the
//! copy is handed to that uid. As another user, bwrap's user namespace is used.

use super::capture::{drain, Capped};
use std::ffi::OsString;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Where the repository copy is mounted inside the sandbox.
pub const WORK_MOUNT: &str = "/work";
/// Bytes of stdout kept for parsers (head); the stored log is cut further.
const PARSE_HEAD: usize = 8 * 1024 * 1024;
const PARSE_TAIL: usize = 256 * 1024;
/// Stderr is only shown, never parsed.
const STDERR_HEAD: usize = 256 * 1024;
const STDERR_TAIL: usize = 128 * 1024;
/// First uid of the range the sandbox hands out when backlens runs as root.
const SANDBOX_UID_BASE: u32 = 200_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxMode {
    Bubblewrap,
    /// The operator switched the sandbox off: commands run as backlens, with
    /// only a clean environment, a process group and resource limits.
    Off,
}

impl SandboxMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SandboxMode::Bubblewrap => "bubblewrap",
            SandboxMode::Off => "off",
        }
    }
}

/// Resource limits of each process in the sandbox.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Processes of the sandbox user at once (fork bombs stop here).
    pub max_processes: u64,
    /// Writable private memory per process (`RLIMIT_DATA`).
    pub memory_bytes: u64,
    /// Largest file a process may write.
    pub file_size_bytes: u64,
    /// CPU seconds per process.
    pub cpu_secs: u64,
    pub open_files: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_processes: 256,
            memory_bytes: 2048 << 20,
            file_size_bytes: 256 << 20,
            cpu_secs: 900,
            open_files: 4096,
        }
    }
}

/// Host folders the sandbox sees read-only at the same path (tool chains).
#[derive(Clone, Debug, Default)]
pub struct ToolPaths {
    /// Prepended to `PATH` inside, in order.
    pub bin_dirs: Vec<PathBuf>,
    /// Mounted read-only (each must exist; missing ones are skipped).
    pub mounts: Vec<PathBuf>,
    /// Extra variables the tool chains need (`RUSTUP_HOME`).
    pub env: Vec<(String, String)>,
    /// The bubblewrap program (`bwrap` on `PATH` when empty).
    pub bwrap: PathBuf,
}

/// One command to run.
pub struct RunSpec<'a> {
    /// Host path of the repository copy (mounted at `/work`).
    pub work: &'a Path,
    /// Host folder used as the private `/tmp`.
    pub tmp: &'a Path,
    pub argv: &'a [String],
    /// Variables besides the ones the sandbox sets itself.
    pub env: &'a [(String, String)],
    /// Network access (the prepare step with registries allowed); else none.
    pub network: bool,
    pub timeout: Duration,
    pub limits: &'a Limits,
    pub tools: &'a ToolPaths,
    pub cancel: &'a AtomicBool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// The process could not be started at all.
    SpawnFailed(String),
}

#[derive(Debug)]
pub struct RunResult {
    pub exit: Exit,
    pub stdout: Capped,
    pub stderr: Capped,
    pub duration: Duration,
    pub timed_out: bool,
    pub cancelled: bool,
}

impl RunResult {
    pub fn success(&self) -> bool {
        self.exit == Exit::Code(0) && !self.timed_out && !self.cancelled
    }
}

/// The path of the copy as the command sees it.
pub fn work_dir_inside(mode: SandboxMode, work: &Path) -> String {
    match mode {
        SandboxMode::Bubblewrap => WORK_MOUNT.to_string(),
        SandboxMode::Off => work.display().to_string(),
    }
}

/// Checks that bubblewrap can build the sandbox here, by running `true` in
/// it. The error is what bwrap said.
pub fn probe(tools: &ToolPaths) -> Result<(), String> {
    let dir = tempfile::Builder::new()
        .prefix("backlens-sandbox-probe-")
        .tempdir()
        .map_err(|e| format!("cannot create a probe folder: {e}"))?;
    let work = dir.path().join("work");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let cancel = AtomicBool::new(false);
    let argv = vec!["true".to_string()];
    let result = run(
        SandboxMode::Bubblewrap,
        &RunSpec {
            work: &work,
            tmp: &tmp,
            argv: &argv,
            env: &[],
            network: false,
            timeout: Duration::from_secs(20),
            limits: &Limits::default(),
            tools,
            cancel: &cancel,
        },
    );
    match result.exit {
        Exit::Code(0) => Ok(()),
        Exit::SpawnFailed(why) => Err(why),
        other => Err(format!(
            "bwrap ended with {other:?}: {}",
            result.stderr.text().trim()
        )),
    }
}

fn next_sandbox_uid() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    SANDBOX_UID_BASE + NEXT.fetch_add(1, Ordering::Relaxed) % 1000
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Hands a tree to `uid` (root only), never following symlinks.
fn chown_tree(root: &Path, uid: u32) -> std::io::Result<()> {
    std::os::unix::fs::lchown(root, Some(uid), Some(uid))?;
    let meta = std::fs::symlink_metadata(root)?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(root)? {
            chown_tree(&entry?.path(), uid)?;
        }
    }
    Ok(())
}

fn path_var(tools: &ToolPaths, extra_first: &[String]) -> String {
    let mut parts: Vec<String> = extra_first.to_vec();
    parts.extend(tools.bin_dirs.iter().map(|d| d.display().to_string()));
    parts.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(String::from));
    parts.join(":")
}

/// The variables every command gets; nothing is inherited from backlens.
fn base_env(mode: SandboxMode, spec: &RunSpec<'_>) -> Vec<(String, String)> {
    let (work, tmp) = match mode {
        SandboxMode::Bubblewrap => (WORK_MOUNT.to_string(), "/tmp".to_string()),
        SandboxMode::Off => (
            spec.work.display().to_string(),
            spec.tmp.display().to_string(),
        ),
    };
    let mut env = vec![
        ("PATH".to_string(), path_var(spec.tools, &[])),
        ("HOME".to_string(), format!("{tmp}/home")),
        ("TMPDIR".to_string(), tmp.clone()),
        ("LANG".to_string(), "C.UTF-8".to_string()),
        ("CI".to_string(), "true".to_string()),
        ("NO_COLOR".to_string(), "1".to_string()),
        ("FORCE_COLOR".to_string(), "0".to_string()),
        ("PYTHONDONTWRITEBYTECODE".to_string(), "1".to_string()),
        (
            "CARGO_HOME".to_string(),
            format!("{work}/.backlens-cargo-home"),
        ),
        ("CARGO_TERM_COLOR".to_string(), "never".to_string()),
        ("npm_config_cache".to_string(), format!("{tmp}/npm-cache")),
        (
            "npm_config_update_notifier".to_string(),
            "false".to_string(),
        ),
        ("GOPATH".to_string(), format!("{work}/.backlens-go")),
        ("GOCACHE".to_string(), format!("{tmp}/go-cache")),
        ("GOFLAGS".to_string(), "-mod=mod".to_string()),
        // Never fetch another Go tool chain; modules only in the prepare
        // step that has the network.
        ("GOTOOLCHAIN".to_string(), "local".to_string()),
        ("GOTELEMETRY".to_string(), "off".to_string()),
    ];
    if !spec.network {
        env.push(("GOPROXY".to_string(), "off".to_string()));
    }
    env.extend(spec.tools.env.iter().cloned());
    for (k, v) in spec.env {
        env.retain(|(key, _)| key != k);
        env.push((k.clone(), v.clone()));
    }
    env
}

const ETC_FILES: &[&str] = &[
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/hosts",
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/localtime",
    "/etc/mime.types",
    "/etc/python3",
    "/etc/python3.11",
];

fn bwrap_args(spec: &RunSpec<'_>, drop_to: Option<u32>, env: &[(String, String)]) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
    push(&[
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "backlens-sandbox",
    ]);
    if !spec.network {
        push(&["--unshare-net"]);
    }
    if drop_to.is_none() {
        push(&["--unshare-user"]);
    }
    push(&[
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/bin",
        "/bin",
        "--symlink",
        "usr/sbin",
        "/sbin",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "0755",
        "--dir",
        "/etc",
    ]);
    let mut etc: Vec<String> = ETC_FILES.iter().map(|s| s.to_string()).collect();
    if spec.network {
        // Name resolution for the registries (resolv.conf may be a symlink).
        let resolv = std::fs::canonicalize("/etc/resolv.conf")
            .unwrap_or_else(|_| PathBuf::from("/etc/resolv.conf"));
        a.extend([
            "--ro-bind-try".into(),
            resolv.into(),
            "/etc/resolv.conf".into(),
        ]);
        etc.push("/etc/gai.conf".into());
    }
    for f in etc {
        a.extend(["--ro-bind-try".into(), f.clone().into(), f.into()]);
    }
    // bwrap makes missing parent folders of a mount point private (0700);
    // the sandbox user must be able to walk through them.
    let mut parents: Vec<PathBuf> = spec
        .tools
        .mounts
        .iter()
        .filter(|m| m.exists())
        .flat_map(|m| {
            m.ancestors()
                .skip(1)
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .filter(|p| p.parent().is_some() && !p.starts_with("/usr") && !p.starts_with("/etc"))
        .collect();
    parents.sort_by_key(|p| p.components().count());
    parents.dedup();
    for p in parents {
        a.extend([
            "--perms".into(),
            "0755".into(),
            "--dir".into(),
            p.into_os_string(),
        ]);
    }
    for m in &spec.tools.mounts {
        if m.exists() {
            a.extend([
                "--ro-bind".into(),
                m.clone().into_os_string(),
                m.clone().into_os_string(),
            ]);
        }
    }
    a.extend([
        "--bind".into(),
        spec.work.as_os_str().to_owned(),
        WORK_MOUNT.into(),
        "--bind".into(),
        spec.tmp.as_os_str().to_owned(),
        "/tmp".into(),
        "--chdir".into(),
        WORK_MOUNT.into(),
        "--clearenv".into(),
    ]);
    for (k, v) in env {
        a.extend(["--setenv".into(), k.into(), v.into()]);
    }
    if let Some(uid) = drop_to {
        // bwrap keeps root's capabilities for the command unless told; keep
        // only what setpriv needs to become the sandbox user, which then
        // drops everything.
        a.extend(
            [
                "--cap-drop",
                "ALL",
                "--cap-add",
                "CAP_SETUID",
                "--cap-add",
                "CAP_SETGID",
                "--cap-add",
                "CAP_SETPCAP",
                "--",
                "/usr/bin/setpriv",
            ]
            .map(OsString::from),
        );
        a.extend([
            format!("--reuid={uid}").into(),
            format!("--regid={uid}").into(),
            "--clear-groups".into(),
            "--inh-caps=-all".into(),
            "--bounding-set=-all".into(),
            "--no-new-privs".into(),
            "--".into(),
        ]);
    } else {
        a.push("--".into());
    }
    a.extend(spec.argv.iter().map(OsString::from));
    a
}

/// Sets the limits and a new session (so the whole group can be killed) in
/// the child, between fork and exec.
fn limit_child(cmd: &mut Command, limits: &Limits) {
    let limits = limits.clone();
    // SAFETY: only async-signal-safe calls (setsid, setrlimit) run between
    // fork and exec, and no memory is allocated there.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            let set = |resource, value: u64| {
                let lim = libc::rlimit {
                    rlim_cur: value as libc::rlim_t,
                    rlim_max: value as libc::rlim_t,
                };
                libc::setrlimit(resource, &lim)
            };
            for (resource, value) in [
                (libc::RLIMIT_NPROC, limits.max_processes),
                (libc::RLIMIT_DATA, limits.memory_bytes),
                (libc::RLIMIT_FSIZE, limits.file_size_bytes),
                (libc::RLIMIT_CPU, limits.cpu_secs),
                (libc::RLIMIT_NOFILE, limits.open_files),
                (libc::RLIMIT_CORE, 0),
            ] {
                if set(resource, value) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

/// Runs `spec` to its end, its timeout or its cancellation.
pub fn run(mode: SandboxMode, spec: &RunSpec<'_>) -> RunResult {
    let clock = Instant::now();
    let failed = |why: String| RunResult {
        exit: Exit::SpawnFailed(why),
        stdout: Capped::new(0, 0),
        stderr: Capped::new(0, 0),
        duration: clock.elapsed(),
        timed_out: false,
        cancelled: false,
    };
    if spec.argv.is_empty() {
        return failed("no command".into());
    }
    let env = base_env(mode, spec);
    let home = spec.tmp.join("home");
    if let Err(e) = std::fs::create_dir_all(&home) {
        return failed(format!("cannot prepare the private tmp: {e}"));
    }
    let mut cmd = match mode {
        SandboxMode::Bubblewrap => {
            let drop_to = is_root().then(next_sandbox_uid);
            if let Some(uid) = drop_to {
                for dir in [spec.work, spec.tmp] {
                    if let Err(e) = chown_tree(dir, uid) {
                        return failed(format!("cannot hand the copy to the sandbox user: {e}"));
                    }
                }
            }
            let bwrap = if spec.tools.bwrap.as_os_str().is_empty() {
                Path::new("bwrap")
            } else {
                spec.tools.bwrap.as_path()
            };
            let mut cmd = Command::new(bwrap);
            cmd.args(bwrap_args(spec, drop_to, &env));
            cmd
        }
        SandboxMode::Off => {
            let mut cmd = Command::new(&spec.argv[0]);
            cmd.args(&spec.argv[1..]).current_dir(spec.work);
            cmd
        }
    };
    cmd.env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if mode == SandboxMode::Off {
        for (k, v) in &env {
            cmd.env(k, v);
        }
    } else {
        cmd.env("PATH", "/usr/bin:/bin");
    }
    limit_child(&mut cmd, spec.limits);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && mode == SandboxMode::Bubblewrap => {
            return failed("bwrap (bubblewrap) is not installed".into())
        }
        Err(e) => return failed(format!("cannot start {}: {e}", spec.argv[0])),
    };
    let pgid = child.id() as i32;
    let out = child
        .stdout
        .take()
        .map(|s| std::thread::spawn(move || drain(s, Capped::new(PARSE_HEAD, PARSE_TAIL))));
    let err = child
        .stderr
        .take()
        .map(|s| std::thread::spawn(move || drain(s, Capped::new(STDERR_HEAD, STDERR_TAIL))));
    let kill_group = || {
        // SAFETY: kill(2) with a negative pid signals that process group.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    };
    let mut timed_out = false;
    let mut cancelled = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) => {}
            Err(e) => break Err(e),
        }
        if clock.elapsed() >= spec.timeout {
            timed_out = true;
            kill_group();
        } else if spec.cancel.load(Ordering::Relaxed) {
            cancelled = true;
            kill_group();
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    // Whatever the command left behind in its group goes too (with the
    // sandbox, its PID namespace is already gone).
    kill_group();
    let join = |h: Option<std::thread::JoinHandle<Capped>>| {
        let Some(h) = h else {
            return Capped::new(0, 0);
        };
        // A process that escaped the group (only possible without the
        // sandbox) may hold the pipe open: give up on it after a while.
        let until = Instant::now() + Duration::from_secs(3);
        while !h.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
        if h.is_finished() {
            h.join().unwrap_or_else(|_| Capped::new(0, 0))
        } else {
            Capped::new(0, 0)
        }
    };
    let stdout = join(out);
    let stderr = join(err);
    let exit = match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(sig)) => Exit::Signal(sig),
            _ => Exit::Code(-1),
        },
        Err(e) => Exit::SpawnFailed(format!("lost the process: {e}")),
    };
    RunResult {
        exit,
        stdout,
        stderr,
        duration: clock.elapsed(),
        timed_out,
        cancelled,
    }
}

/// The tool folders backlens provides: its own tool set (ruff, mypy, pytest,
/// typescript, eslint — installed by `dev.sh`) and the Rust tool chain.
pub fn default_tool_paths(tools_dir: &Path) -> ToolPaths {
    let mut t = ToolPaths::default();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    t.bin_dirs.push(tools_dir.join("venv/bin"));
    t.bin_dirs.push(tools_dir.join("node/node_modules/.bin"));
    t.mounts.push(tools_dir.to_path_buf());
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".cargo")));
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".rustup")));
    if let Some(cargo_bin) = cargo_home.map(|c| c.join("bin")).filter(|p| p.is_dir()) {
        t.bin_dirs.push(cargo_bin.clone());
        t.mounts.push(cargo_bin);
    }
    if let Some(rustup) = rustup_home.filter(|p| p.is_dir()) {
        t.env
            .push(("RUSTUP_HOME".into(), rustup.display().to_string()));
        t.mounts.push(rustup);
    }
    for go in ["/usr/local/go", "/usr/lib/go"] {
        let p = PathBuf::from(go);
        if p.join("bin/go").exists() {
            t.bin_dirs.push(p.join("bin"));
            // Both are inside the read-only /usr already (Debian's
            // /usr/lib/go is a symlink, which a second bind cannot take).
            if !p.starts_with("/usr") {
                t.mounts.push(p);
            }
        }
    }
    t
}

/// Finds `program` the way the sandbox's `PATH` would (the folders are the
/// same inside and out). Relative names with a `/` are looked up in `work`.
pub fn find_program(program: &str, work: &Path, tools: &ToolPaths) -> Option<PathBuf> {
    if program.contains('/') {
        let p = if Path::new(program).is_absolute() {
            PathBuf::from(program)
        } else {
            work.join(program)
        };
        return is_executable(&p).then_some(p);
    }
    tools
        .bin_dirs
        .iter()
        .map(PathBuf::as_path)
        .chain(["/usr/local/bin", "/usr/bin", "/bin"].iter().map(Path::new))
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}
