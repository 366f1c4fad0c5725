//! SEC-PASSWORD (CWE-916): passwords hashed with a fast hash (MD5, SHA-1,
//! SHA-2, plain HMAC) instead of bcrypt/argon2/scrypt/PBKDF2, stored as
//! received, or compared in plain text. Over `crypto.createHash(...).update`,
//! `md5()`/`sha256()`/CryptoJS, `hashlib.*`, Go `md5.Sum`/`sha256.Sum256`,
//! Rust `Sha256::digest`/`md5::compute`, and ORM create/save calls or
//! comparisons fed with the request's password.

use super::findings::Draft;
use super::lang::{call, draft, enclosing_function, pair_parts, string_value, Call};
use super::language::Grammar;
use super::sec_api::Facts;
use super::syntax::{first_line, unwrap_expression, ParsedFile};
use super::taint::{origin, Origin, Resolver};
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;
use tree_sitter::Node;

pub const CHECK_ID: &str = "SEC-PASSWORD";

const FAST_HASHES: &[&str] = &[
    "md5",
    "md4",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_256",
    "sha3_512",
    "sha3-256",
    "sha3-512",
    "ripemd160",
];

/// Does this expression hold a password (not a reset token or an OTP)?
pub fn is_password_text(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    (t.contains("password")
        || t.contains("passwd")
        || t.contains("passphrase")
        || t.contains("pwd"))
        && !["token", "reset", "otp", "nonce", "hash"]
            .iter()
            .any(|w| t.contains(w))
}

/// Is a key the name of a password field (not `password_hash`)?
fn is_password_key(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "password" | "passwd" | "pwd" | "pass" | "user_password" | "userpassword"
    )
}

fn fix(grammar: Grammar) -> &'static str {
    match grammar {
        Grammar::Python => "Hash passwords with a slow, salted algorithm: `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt())`, `hashlib.scrypt`, or Django's `make_password`/passlib.",
        Grammar::Go => "Hash passwords with `golang.org/x/crypto/bcrypt` (`bcrypt.GenerateFromPassword`) or `argon2.IDKey`, and compare with `bcrypt.CompareHashAndPassword`.",
        Grammar::Rust => "Hash passwords with the `argon2` crate (`Argon2::default().hash_password`) or `bcrypt::hash`, and check with `verify_password`/`bcrypt::verify`.",
        _ => "Hash passwords with a slow, salted algorithm: `bcrypt.hash(password, 12)` (bcrypt/bcryptjs), `argon2.hash(password)`, or `crypto.scrypt`, and compare with `bcrypt.compare`.",
    }
}

pub fn scan(file: &ParsedFile, facts: &mut Facts) -> Vec<Draft> {
    let lower = file.text.to_ascii_lowercase();
    if !(lower.contains("password") || lower.contains("passwd") || lower.contains("pwd")) {
        return Vec::new();
    }
    let line = file
        .text
        .lines()
        .position(|l| l.to_ascii_lowercase().contains("pass"))
        .map_or(1, |i| u32::try_from(i + 1).unwrap_or(1));
    facts.relevant(CHECK_ID, file.path, line, "handles passwords".to_string());
    let consts = Resolver::new(file);
    let taint_ok = file.grammar.is_js() || file.grammar.is_python();
    let mut out = Vec::new();
    // Macros, calls, key/value pairs, and the kinds of the match below.
    let kinds = [
        super::lang::CALL_KINDS,
        super::lang::PAIR_KINDS,
        &[
            "macro_invocation",
            "assignment_expression",
            "assignment",
            "binary_expression",
            "comparison_operator",
        ],
    ]
    .concat();
    file.for_each_of(&kinds, |node| {
        if node.kind_name() == "macro_invocation" {
            rust_macro_hash(file, node, &mut out);
            return;
        }
        if let Some(c) = call(file, node) {
            fast_hash(file, c, &mut out);
            if taint_ok {
                plain_storage_sql(file, &consts, c, &mut out);
            }
            return;
        }
        if !taint_ok {
            return;
        }
        // { password: req.body.password } handed to create/insert/save.
        if let Some((key, value)) = pair_parts(file, node) {
            if is_password_key(&key) && !is_hashing(file, value) && origin(file, &consts, value, 0) == Origin::RequestInput && stored_by_call(file, node) {
                out.push(draft(CHECK_ID, Severity::High, node, file, format!("The password from the request is stored as received (`{}`): a database leak or a curious admin exposes every user's password, and users reuse them elsewhere (CWE-916/256). {}", super::lang::short(file, node), fix(file.grammar))));
            }
            return;
        }
        match node.kind_name() {
            // user.password = request.form["password"]
            "assignment_expression" | "assignment" => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else { return };
                let name = left.field("property").or_else(|| left.field("attribute")).map(|p| file.text_of(p));
                if name.is_some_and(is_password_key) && !is_hashing(file, right) && origin(file, &consts, right, 0) == Origin::RequestInput {
                    out.push(draft(CHECK_ID, Severity::High, node, file, format!("The password from the request is stored as received (`{}`): a database leak exposes every user's password (CWE-916/256). {}", super::lang::short(file, node), fix(file.grammar))));
                }
            }
            // user.password === req.body.password
            "binary_expression" | "comparison_operator" => {
                let text = file.text_of(node);
                if !(text.contains("==") || text.contains("!=")) {
                    return;
                }
                let sides: Vec<Node> = super::syntax::named_children(node);
                if sides.len() != 2 {
                    return;
                }
                let stored = sides.iter().any(|s| {
                    let s = unwrap_expression(*s);
                    matches!(s.kind_name(), "member_expression" | "attribute" | "subscript" | "subscript_expression")
                        && {
                            let t = file.text_of(s).to_ascii_lowercase();
                            let last = t.rsplit(['.', '[']).next().unwrap_or("").trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                            is_password_key(last)
                        }
                        && origin(file, &consts, s, 0) != Origin::RequestInput
                });
                let given = sides.iter().any(|s| origin(file, &consts, *s, 0) == Origin::RequestInput && is_password_text(file.text_of(*s)));
                if stored && given {
                    out.push(draft(CHECK_ID, Severity::High, node, file, format!("Passwords are compared in plain text (`{}`): they are stored unhashed, so a database leak exposes them all (CWE-916/256). {}", super::lang::short(file, node), fix(file.grammar))));
                }
            }
            _ => {}
        }
    });
    out
}

/// A value computed by a password-hashing call (`await bcrypt.hash(pw, 12)`).
fn is_hashing(file: &ParsedFile, value: Node) -> bool {
    let t = file.text_of(value).to_ascii_lowercase();
    t.contains("hash") || t.contains("crypt") || t.contains("argon") || t.contains("make_password")
}

/// Is this key/value inside the arguments of a call that writes a record
/// (`create`, `insert`, `save`, `new User({...})`)?
fn stored_by_call(file: &ParsedFile, pair: Node) -> bool {
    for ancestor in file.ancestors(pair).take(6) {
        if let Some(c) = call(file, ancestor) {
            let name = c.name.to_ascii_lowercase();
            return matches!(
                name.as_str(),
                "create"
                    | "insert"
                    | "insertone"
                    | "insertmany"
                    | "save"
                    | "update"
                    | "updateone"
                    | "upsert"
                    | "build"
                    | "add"
                    | "createuser"
                    | "register"
            ) || (ancestor.kind_name() == "new_expression"
                || c.name
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_uppercase()))
                && !matches!(c.name, "Error" | "Response" | "JSONResponse");
        }
        if super::lang::is_any_function(ancestor) {
            return false;
        }
    }
    false
}

/// `INSERT INTO users (email, password) VALUES ($1, $2)` with the request's
/// password among the values.
fn plain_storage_sql(file: &ParsedFile, consts: &Resolver, c: &Call, out: &mut Vec<Draft>) {
    let args = c.positional();
    let (Some(sql), Some(values)) = (args.first(), args.get(1)) else {
        return;
    };
    let Some(sql) = string_value(file, *sql) else {
        return;
    };
    let lower = sql.to_ascii_lowercase();
    let Some(cols) = lower
        .split("insert into")
        .nth(1)
        .and_then(|r| r.split(')').next())
    else {
        return;
    };
    let has_password_column = cols
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .any(is_password_key);
    if !has_password_column {
        return;
    }
    let plain = super::syntax::named_children(unwrap_expression(*values))
        .into_iter()
        .any(|v| {
            is_password_text(file.text_of(v)) && origin(file, consts, v, 0) == Origin::RequestInput
        });
    if plain {
        out.push(draft(CHECK_ID, Severity::High, c.node, file, format!("The password from the request is inserted as received: a database leak exposes every user's password (CWE-916/256). {}", fix(file.grammar))));
    }
}

/// A fast hash fed with a password.
fn fast_hash(file: &ParsedFile, c: &Call, out: &mut Vec<Draft>) {
    let args = c.positional();
    let Some(first) = args.first() else { return };
    let name = c.name.to_ascii_lowercase();
    let algorithm: Option<String> = match file.grammar {
        Grammar::TypeScript | Grammar::Tsx => {
            if name == "update" {
                // crypto.createHash("sha256").update(password)
                c.object
                    .and_then(|o| call(file, unwrap_expression(o)))
                    .filter(|inner| matches!(inner.name, "createHash" | "createHmac"))
                    .and_then(|inner| {
                        inner
                            .positional()
                            .first()
                            .and_then(|a| string_value(file, *a))
                    })
                    .or_else(|| hash_object_algorithm(file, c))
            } else if FAST_HASHES.contains(&name.as_str()) {
                Some(name.clone())
            } else {
                None
            }
        }
        Grammar::Python => {
            let object = c.object_text(file);
            if object == "hashlib" && FAST_HASHES.contains(&name.as_str()) {
                Some(name.clone())
            } else if object == "hashlib" && name == "new" {
                string_value(file, *first)
            } else if name == "update" {
                hash_object_algorithm(file, c)
            } else {
                None
            }
        }
        Grammar::Go => {
            let object = c.object_text(file);
            (matches!(object, "md5" | "sha1" | "sha256" | "sha512") && c.name.starts_with("Sum"))
                .then(|| object.to_string())
        }
        Grammar::Rust => {
            let object = c.object_text(file).to_ascii_lowercase();
            if (c.name == "digest" || c.name == "compute")
                && (object.contains("sha") || object.contains("md5") || object.contains("md4"))
            {
                Some(object.rsplit("::").next().unwrap_or(&object).to_string())
            } else if c.name == "update" {
                hash_object_algorithm(file, c)
            } else {
                None
            }
        }
    };
    let Some(algorithm) = algorithm else { return };
    let hashed = if file.grammar == Grammar::Python && name == "new" {
        args.get(1)
    } else {
        Some(first)
    };
    let Some(hashed) = hashed else { return };
    if !is_password_text(file.text_of(*hashed)) {
        return;
    }
    let alg = algorithm.to_ascii_uppercase().replace('_', "-");
    out.push(draft(CHECK_ID, Severity::High, c.node, file, format!("Password hashed with {alg}, a fast hash: a leaked table is cracked at billions of guesses per second on one GPU, salt or not (CWE-916). {}", fix(file.grammar))));
}

/// Rust macros keep their arguments as tokens: `format!("{:x}", Sha256::digest(password))`.
fn rust_macro_hash(file: &ParsedFile, node: Node, out: &mut Vec<Draft>) {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"\b(Sha1|Sha224|Sha256|Sha384|Sha512|Md5|md5|sha1|sha256)::(?:digest|compute)\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)").expect("valid")
    });
    // Only the outermost macro reports.
    if file
        .ancestors(node)
        .any(|a| a.kind_name() == "macro_invocation")
    {
        return;
    }
    let text = file.text_of(node);
    if let Some(caps) = re.captures(text) {
        if is_password_text(&caps[2]) {
            let alg = caps[1].to_ascii_uppercase();
            out.push(draft(CHECK_ID, Severity::High, node, file, format!("Password hashed with {alg}, a fast hash: a leaked table is cracked at billions of guesses per second on one GPU, salt or not (CWE-916). {}", fix(file.grammar))));
        }
    }
}

/// `h.update(password)` where `h` was made by a fast hash in the same
/// function (`h = hashlib.sha256()`, `let mut h = Sha256::new()`,
/// `const h = crypto.createHash("md5")`).
fn hash_object_algorithm(file: &ParsedFile, c: &Call) -> Option<String> {
    let receiver = c.object_text(file);
    if receiver.is_empty() || receiver.contains('(') {
        return None;
    }
    let scope = enclosing_function(file, c.node).unwrap_or_else(|| file.tree.root_node());
    let text = file.text_of(scope).to_ascii_lowercase();
    let receiver = receiver.to_ascii_lowercase();
    for alg in FAST_HASHES {
        for pattern in [
            format!("{receiver} = hashlib.{alg}("),
            format!("{receiver} = {alg}::new("),
            format!("{receiver} = crypto.createhash(\"{alg}\")"),
            format!("{receiver} = crypto.createhash('{alg}')"),
            format!("{receiver} = createhash(\"{alg}\")"),
            format!("{receiver} = createhash('{alg}')"),
        ] {
            if text.contains(&pattern) {
                return Some(alg.to_string());
            }
        }
    }
    let _ = first_line;
    None
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    fn rule(file: &ParsedFile) -> Vec<Draft> {
        scan(file, &mut Facts::default())
    }

    #[test]
    fn fast_hashes_of_passwords_are_flagged_and_slow_ones_are_not() {
        let js = "const hash = createHash('sha256').update(password).digest('hex');\nconst ok = await bcrypt.hash(password, 12);\nconst etag = createHash('sha256').update(body).digest('hex');\nconst t = createHash('sha256').update(resetToken).digest('hex');\nconst m = md5(user.password);\n";
        assert_eq!(lines("src/users.ts", js, rule), vec![1, 5]);
        let py = "h = hashlib.md5(password.encode()).hexdigest()\nd = hashlib.sha256(data).hexdigest()\nk = hashlib.pbkdf2_hmac('sha256', password.encode(), salt, 600000)\nx = hashlib.new('sha1', pwd.encode())\n";
        assert_eq!(lines("app/auth.py", py, rule), vec![1, 4]);
        let go = "package x\nfunc h(password string) { sum := sha256.Sum256([]byte(password)); _ = sum }\nfunc e(body []byte) { _ = sha256.Sum256(body) }\n";
        assert_eq!(lines("auth.go", go, rule), vec![2]);
        let rs = "fn h(password: &str) { let d = Sha256::digest(password.as_bytes()); let x = md5::compute(password); let y = Sha256::digest(body); }\n";
        assert_eq!(
            super::super::lang::test_support::run("src/auth.rs", rs, rule).len(),
            2
        );
    }

    #[test]
    fn plain_text_storage_and_comparison() {
        let js = "app.post('/signup', async (req, res) => {\n  await User.create({ email: req.body.email, password: req.body.password });\n  await prisma.user.create({ data: { email, password: await bcrypt.hash(req.body.password, 12) } });\n  if (user.password === req.body.password) {}\n  await pool.query('INSERT INTO users (email, password) VALUES ($1, $2)', [req.body.email, req.body.password]);\n  res.json({ password: req.body.password });\n});\n";
        assert_eq!(lines("src/users.js", js, rule), vec![2, 4, 5]);
        let py = "@app.route('/signup', methods=['POST'])\ndef signup():\n    user = User(email=request.form['email'], password=request.form['password'])\n    user.password = request.form['password']\n    ok = User.objects.create_user(username=u, password=request.POST['password'])\n";
        assert_eq!(lines("app/views.py", py, rule), vec![3, 4]);
    }
}
