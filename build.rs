//! Embeds every file under `signatures/` into the binary, so lurescreen works with no files around it.
//! The rule files and the IPA points (TOML) are embedded as JSON, read the same way through serde:
//! parsing TOML was a quarter of a one-message run (`filter`), JSON is several times faster.

use std::{env, fs, path::Path};

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, root, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml") | Some("txt") | Some("ndb")
        ) {
            let rel = path.strip_prefix(root).expect("under root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The TOML files read into rules and points (the scores overlay has its own line format).
fn is_toml_data(rel: &str) -> bool {
    rel == "ipa_points.toml" || (rel.starts_with("rules/") && rel.ends_with(".toml"))
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("signatures");
    println!("cargo:rerun-if-changed=signatures");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::from("pub static EMBEDDED: &[(&str, Text)] = &[\n");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for rel in &files {
        println!("cargo:rerun-if-changed=signatures/{rel}");
        if is_toml_data(rel) {
            let text = fs::read_to_string(root.join(rel)).expect("read a signatures file");
            // A file that is not valid TOML is embedded as it is: loading reports its error.
            if let Ok(value) = toml::from_str::<toml::Value>(&text)
                && let Ok(json) = serde_json::to_string(&value)
            {
                let name = format!("{}.json", rel.replace('/', "__"));
                fs::write(Path::new(&out_dir).join(&name), json).expect("write JSON");
                code.push_str(&format!(
                    "    ({rel:?}, Text::Json(include_str!(concat!(env!(\"OUT_DIR\"), \"/\", {name:?})))),\n"
                ));
                continue;
            }
        }
        code.push_str(&format!(
            "    ({rel:?}, Text::Plain(include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/signatures/\", {rel:?})))),\n"
        ));
    }
    code.push_str("];\n");
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_signatures.rs");
    fs::write(out, code).expect("write embedded_signatures.rs");
}
