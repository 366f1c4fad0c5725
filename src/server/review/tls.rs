//! SEC-TLS (CWE-295): TLS certificate verification switched off
//! (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`,
//! `verify=False`, `ssl._create_unverified_context()`, `CERT_NONE`,
//! `InsecureSkipVerify: true`, reqwest `danger_accept_invalid_certs(true)`),
//! and plain `http://` URLs to external hosts given to an HTTP client.

use super::findings::Draft;
use super::lang::{call, draft, is_false, is_true, pair_parts, string_value};
use super::syntax::ParsedFile;
use crate::model::Severity;
use crate::server::review::syntax::NodeExt;

pub const CHECK_ID: &str = "SEC-TLS";

const DISABLED: &str = "TLS certificate verification is switched off: anyone on the network path can impersonate the server and read or change the traffic, credentials included (CWE-295).";

/// Calls that send an HTTP request to the URL in their first argument.
fn is_http_client_call(file: &ParsedFile, name: &str, object: &str) -> bool {
    let object = object.to_ascii_lowercase();
    match name {
        "fetch" => object.is_empty(),
        "get" | "post" | "put" | "patch" | "delete" | "head" | "request" => {
            [
                "axios",
                "requests",
                "httpx",
                "got",
                "ky",
                "superagent",
                "http",
                "https",
                "client",
                "session",
                "reqwest",
                "ureq",
                "urllib",
                "aiohttp",
            ]
            .iter()
            .any(|c| {
                object == *c
                    || object.ends_with(&format!(".{c}"))
                    || object.ends_with(&format!("::{c}"))
                    || object.ends_with("client")
            }) && !(file.grammar.is_js() && object == "app")
        }
        "Get" | "Post" | "Head" | "NewRequest" | "NewRequestWithContext" => object == "http",
        "urlopen" => true,
        _ => false,
    }
}

/// Hosts that are not "external": loopback, private networks, cluster-internal
/// names, documentation domains, single-label service names.
fn is_internal_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or("");
    if host.is_empty() || !host.contains('.') {
        return true;
    }
    let private_ip = host.starts_with("10.")
        || host.starts_with("192.168.")
        || host.starts_with("127.")
        || host.starts_with("0.")
        || (host.starts_with("172.")
            && host
                .split('.')
                .nth(1)
                .and_then(|o| o.parse::<u8>().ok())
                .is_some_and(|o| (16..=31).contains(&o)));
    private_ip
        || [
            ".local",
            ".internal",
            ".svc",
            ".cluster.local",
            ".localhost",
            ".test",
            ".example",
            ".invalid",
            ".lan",
            ".home",
        ]
        .iter()
        .any(|s| host.ends_with(s))
        || ["example.com", "example.org", "example.net", "localhost"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || host.starts_with("host.docker")
}

pub fn scan(file: &ParsedFile) -> Vec<Draft> {
    let mut out = Vec::new();
    let python = file.grammar.is_python();
    let kinds = [
        super::lang::PAIR_KINDS,
        super::lang::CALL_KINDS,
        &["assignment_expression", "assignment"],
    ]
    .concat();
    file.for_each_of(&kinds, |node| {
        // Keys and fields that switch verification off, wherever they appear.
        let pair = pair_parts(file, node);
        if let Some((key, value)) = pair {
            let hit = match key.as_str() {
                "rejectUnauthorized" | "strictSSL" => is_false(file, value).then_some(format!("`{key}: false`")),
                "InsecureSkipVerify" => is_true(file, value).then_some("`InsecureSkipVerify: true`".to_string()),
                "verify" if python => (file.text_of(value) == "False").then_some("`verify=False`".to_string()),
                "ssl" | "verify_ssl" if python => (file.text_of(value) == "False").then_some(format!("`{key}=False`")),
                _ => None,
            };
            if let Some(what) = hit {
                let fix = match file.grammar {
                    super::language::Grammar::Python => "Remove it; to trust a private CA, pass its bundle (`verify=\"/path/ca.pem\"`) or set SSL_CERT_FILE/REQUESTS_CA_BUNDLE.",
                    super::language::Grammar::Go => "Remove it; to trust a private CA, add it to `tls.Config{RootCAs: pool}`.",
                    _ => "Remove it; to trust a private CA, pass it as `ca` (or NODE_EXTRA_CA_CERTS).",
                };
                out.push(draft(CHECK_ID, Severity::High, node, file, format!("{what}: {DISABLED} {fix}")));
            }
            return;
        }
        // NODE_TLS_REJECT_UNAUTHORIZED = "0"
        if matches!(node.kind_name(), "assignment_expression" | "assignment") {
            let left = node.field("left").map(|l| file.text_of(l)).unwrap_or("");
            if left.contains("NODE_TLS_REJECT_UNAUTHORIZED")
                && node.field("right").and_then(|r| string_value(file, r)).as_deref() == Some("0")
            {
                out.push(draft(CHECK_ID, Severity::High, node, file, format!("`NODE_TLS_REJECT_UNAUTHORIZED = \"0\"` switches certificate checks off for every HTTPS request of the process. {DISABLED} Remove it; trust a private CA with NODE_EXTRA_CA_CERTS instead.")));
            }
            // Python `ctx.check_hostname = False` / `ctx.verify_mode = ssl.CERT_NONE`
            if python {
                let right = node.field("right").map(|r| file.text_of(r)).unwrap_or("");
                if (left.ends_with(".verify_mode") && right.ends_with("CERT_NONE"))
                    || (left.ends_with(".check_hostname") && right == "False")
                {
                    out.push(draft(CHECK_ID, Severity::High, node, file, format!("`{}`: {DISABLED} Keep the default context (`ssl.create_default_context()`), loading a private CA with `load_verify_locations` if needed.", super::lang::short(file, node))));
                }
            }
            return;
        }
        let Some(c) = call(file, node) else { return };
        let callee = file.text_of(c.callee);
        if callee.ends_with("_create_unverified_context") || (c.name == "danger_accept_invalid_certs" || c.name == "danger_accept_invalid_hostnames") && c.args.first().is_some_and(|a| is_true(file, *a)) {
            let fix = if python {
                "Use `ssl.create_default_context()` (with `cafile=` for a private CA)."
            } else {
                "Remove it; add a private CA with `add_root_certificate` instead."
            };
            out.push(draft(CHECK_ID, Severity::High, node, file, format!("`{}`: {DISABLED} {fix}", super::lang::short(file, c.callee))));
            return;
        }
        // Plain http to an external host.
        if is_http_client_call(file, c.name, c.object_text(file)) {
            if let Some(url) = c.positional().first().and_then(|a| string_value(file, *a)) {
                if let Some(rest) = url.strip_prefix("http://") {
                    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
                    let host = host.rsplit('@').next().unwrap_or(host);
                    if !is_internal_host(host) {
                        out.push(draft(CHECK_ID, Severity::Medium, node, file, format!("Plain http to the external host `{host}`: the request and its answer (tokens, personal data) cross the internet unencrypted and can be read or changed on the way (CWE-319/295). Use `https://{host}`.")));
                    }
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::lang::test_support::lines;
    use super::*;

    #[test]
    fn verification_switched_off_is_flagged_in_every_language() {
        let js = "const agent = new https.Agent({ rejectUnauthorized: false });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\nconst ok = new https.Agent({ rejectUnauthorized: true });\n";
        assert_eq!(lines("src/a.ts", js, scan), vec![1, 2]);
        let py = "r = requests.get(url, verify=False)\nctx = ssl._create_unverified_context()\nok = requests.get(url, verify='/etc/ca.pem')\nctx.check_hostname = False\n";
        assert_eq!(lines("a.py", py, scan), vec![1, 2, 4]);
        let go = "package x\nvar c = &tls.Config{InsecureSkipVerify: true}\nvar d = &tls.Config{MinVersion: tls.VersionTLS12}\n";
        assert_eq!(lines("a.go", go, scan), vec![2]);
        let rs = "fn f() { let c = reqwest::Client::builder().danger_accept_invalid_certs(true).build(); let d = reqwest::Client::builder().danger_accept_invalid_certs(false); }\n";
        assert_eq!(lines("a.rs", rs, scan), vec![1]);
    }

    #[test]
    fn plain_http_only_to_external_hosts() {
        let js = "await fetch('http://api.stripe.com/v1/charges');\nawait fetch('http://payments:8080/charge');\nawait axios.get('http://localhost:3000/x');\nawait fetch('https://api.stripe.com');\n";
        assert_eq!(lines("src/a.js", js, scan), vec![1]);
        let py = "requests.post('http://hooks.partner.io/x', json=body)\nrequests.get('http://inventory.svc.cluster.local/items')\n";
        assert_eq!(lines("a.py", py, scan), vec![1]);
        let go = "package x\nfunc f() { http.Get(\"http://api.partner.io/v1\") }\n";
        assert_eq!(lines("a.go", go, scan), vec![2]);
    }
}
