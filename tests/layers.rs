//! The one-way flow of DESIGN.md, kept by a test: every module imports only from its own layer
//! or the layers below it, and no two source files import each other, directly or round a loop.
//! Test code (`#[cfg(test)]` and `tests.rs` files) may reach anywhere and is not read.

#[path = "support/source.rs"]
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use its own layer and those before it.
const LAYERS: &[&[&str]] = &[
    // The vocabulary every layer shares.
    &["lang", "finding", "text"],
    // What the site configured.
    &["config"],
    // Readers of file formats: facts about bytes, no findings about the message. They need no
    // rules, so they sit below the signatures, whose indicator lists name the file types.
    &["formats"],
    // Rules, word lists and indicator lists.
    &["signatures"],
    // Bytes made a `Message`: MIME, headers, links, containers opened by the openers passed in.
    &["message"],
    // Checks and the optional DNS stage: findings about one message.
    &["checks", "dns"],
    // Findings weighed into a report and a verdict.
    &["score"],
    // The engine: loads signatures and configuration, runs the stages, passes the openers.
    &["engine"],
    // What staff and administrators read.
    &["render", "explain"],
    // Front ends.
    &["filter", "batch", "milter", "tune", "drill", "cli", "exit"],
];

/// Names `lib.rs` re-exports at the crate root, and the module each comes from.
const ROOT_EXPORTS: &[(&str, &str)] = &[
    ("Config", "config"),
    ("Engine", "engine"),
    ("ScanError", "engine"),
    ("Envelope", "message"),
    ("Message", "message"),
    ("Signatures", "signatures"),
    ("Finding", "finding"),
    ("Verdict", "finding"),
    ("Lang", "lang"),
    ("Report", "score"),
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every library source file (not `lib.rs`, `main.rs` or `tests.rs`) with its module path.
fn sources() -> Vec<(Vec<String>, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("src entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).ok()?.with_extension("");
            let mut module: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module == ["lib"] || module == ["main"] || module.last()? == "tests" {
                return None;
            }
            if module.last()? == "mod" {
                module.pop();
            }
            Some((module, path))
        })
        .collect()
}

/// The code of a file without its tests and comments.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source is readable");
    source::without_test_items(&text)
        .lines()
        .map(|l| match l.find("//") {
            // `//` inside a string (a URL) keeps the line: paths are not written in strings.
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names: `crate::a::b::Item` gives `[a, b, Item]`, and `use
/// crate::a::{b, c::D}` gives `[a, b]` and `[a, c, D]`; `super::` paths are made absolute.
fn paths_in(module: &[String], code: &str) -> Vec<Vec<String>> {
    let path_re =
        regex::Regex::new(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)(::\{)?").expect("regex");
    let mut out = Vec::new();
    for m in path_re.captures_iter(code) {
        let mut base: Vec<String> = if &m[1] == "crate" {
            Vec::new()
        } else {
            // `super` of module a::b (`a/b.rs` or `a/b/mod.rs`) is a.
            let mut b = module.to_vec();
            b.pop();
            b
        };
        let rest: Vec<String> = m[2]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut rest = rest.as_slice();
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        if m.get(3).is_some() {
            // A use group: each item of the first level names a path of its own.
            let start = m.get(0).expect("match").end();
            let mut depth = 1;
            let mut end = start;
            for (i, c) in code[start..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = start + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let group = &code[start..end];
            let mut level = 0;
            let mut item = String::new();
            for c in group.chars().chain([',']) {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        let name: String = item
                            .trim()
                            .split("::")
                            .take_while(|s| !s.starts_with('{'))
                            .map(|s| s.split_whitespace().next().unwrap_or(""))
                            .collect::<Vec<_>>()
                            .join("::");
                        if !name.is_empty() && name != "self" {
                            let mut p = base.clone();
                            p.extend(name.split("::").map(str::to_string));
                            out.push(p);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if level == 0 || c != ',' {
                    item.push(c);
                }
            }
        }
        out.push(base);
    }
    out
}

/// The longest known module that `path` starts with.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    if let [name] = path
        && let Some((_, module)) = ROOT_EXPORTS.iter().find(|(n, _)| n == name)
    {
        return Some(vec![module.to_string()]);
    }
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

/// Edges between files: module -> modules it names (not itself, not its parent or children).
fn edges() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    for (module, path) in &files {
        let code = code_of(path);
        let mut targets = BTreeSet::new();
        for p in paths_in(module, &code) {
            if let Some(target) = resolve(&p, &modules)
                && &target != module
                && !target.starts_with(module)
                && !module.starts_with(&target)
            {
                targets.insert(target);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

#[test]
fn every_module_imports_only_from_its_layer_or_below() {
    let graph = edges();
    assert!(graph.len() > 100, "read {} source files", graph.len());
    let mut wrong = Vec::new();
    for (from, targets) in &graph {
        let Some(from_layer) = layer_of(&from[0]) else {
            wrong.push(format!(
                "src/{} is in no layer: add `{}` to LAYERS in tests/layers.rs",
                from.join("/"),
                from[0]
            ));
            continue;
        };
        for to in targets {
            match layer_of(&to[0]) {
                Some(to_layer) if to_layer > from_layer => wrong.push(format!(
                    "{} (layer {from_layer}) imports {} (layer {to_layer})",
                    from.join("::"),
                    to.join("::")
                )),
                _ => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_files_import_each_other_round_a_loop() {
    let graph = edges();
    // Tarjan's strongly connected components (the graph is small enough to recurse).
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        loops: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            let Some((w, _)) = graph.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.join("::"));
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.loops.push(component);
            }
        }
    }
    let mut state = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        loops: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    assert!(
        state.loops.is_empty(),
        "files that import each other round a loop: {:?}",
        state.loops
    );
}

/// The test reads what it should: a file that names a module above it, through `crate::`,
/// `super::` or a use group, is seen doing so.
#[test]
fn the_reader_sees_crate_super_and_group_imports() {
    let module: Vec<String> = vec!["checks".into(), "sender".into(), "reply".into()];
    let code = "use super::super::links::x;\nuse crate::{engine::Engine, message::{Link, Message}};\nlet a = crate::score::score(1);";
    let paths = paths_in(&module, code);
    let has = |p: &[&str]| paths.iter().any(|q| q == p);
    assert!(has(&["checks", "links", "x"]), "{paths:?}");
    assert!(has(&["engine", "Engine"]), "{paths:?}");
    assert!(has(&["message", "Link"]) || has(&["message"]), "{paths:?}");
    assert!(has(&["score", "score"]), "{paths:?}");
}
