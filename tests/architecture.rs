//! The shape ARCHITECTURE.md promises, checked from the source text: no two
//! files import each other in a loop, no stage reads the configuration or
//! the command line, facades stay facades, no file becomes a drawer, and
//! every module says why it exists. `cargo test --test architecture` prints
//! what breaks a rule, file by file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Source files, by path relative to `src/` (`ingest/read.rs`).
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The binary's files: `crate::` there is the binary, `missing_report::` the library.
fn is_binary_side(file: &str) -> bool {
    file == "main.rs" || file == "cli.rs" || file.starts_with("cmd/")
}

/// The module path of a file: `ingest/mod.rs` → `[ingest]`, `ingest/read.rs` → `[ingest, read]`.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

/// The file holding module `path`, if it is one.
fn file_of(path: &[String], binary: bool, files: &BTreeMap<String, String>) -> Option<String> {
    if path.is_empty() {
        return Some(if binary { "main.rs" } else { "lib.rs" }.to_string());
    }
    let joined = path.join("/");
    [format!("{joined}.rs"), format!("{joined}/mod.rs")].into_iter().find(|f| files.contains_key(f))
}

/// The code of a file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") && lines.peek().is_some_and(|next| next.trim_start().starts_with("mod tests {")) {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every path a `use` tree names: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.to_string()] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).flat_map(expand).map(|p| format!("{prefix}{p}")).collect()
}

/// Paths a file's code names: every `use` tree, and every inline `crate::`,
/// `super::` and `missing_report::` path.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    for statement in flat.split(';') {
        let statement = statement.trim();
        let tree = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("pub(crate) use "))
            .or_else(|| statement.strip_prefix("use "));
        if let Some(tree) = tree {
            paths.extend(expand(&tree.replace(' ', "")));
        }
    }
    for root in ["crate::", "super::", "missing_report::"] {
        let mut rest = code;
        while let Some(at) = rest.find(root) {
            let before = rest[..at].chars().last();
            let path: String = rest[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                paths.push(path.trim_end_matches(':').to_string());
            }
            rest = &rest[at + root.len()..];
        }
    }
    paths
}

/// file → files it imports (the deepest module file each path reaches).
fn imports(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (file, text) in files {
        let binary = is_binary_side(file);
        let here = module_of(file);
        let mut targets = BTreeSet::new();
        for path in named_paths(&code(text)) {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let (mut module, in_binary, rest): (Vec<String>, bool, &[&str]) = match segments.first().copied() {
                Some("crate") => (Vec::new(), binary, &segments[1..]),
                Some("missing_report") => (Vec::new(), false, &segments[1..]),
                Some("self") => (here.clone(), binary, &segments[1..]),
                Some("super") => {
                    let mut module = here.clone();
                    let mut rest = &segments[..];
                    while rest.first() == Some(&"super") {
                        // A file's `super` is its parent module (`mod.rs` is the module itself).
                        module.pop();
                        rest = &rest[1..];
                    }
                    (module, binary, rest)
                }
                // A child module of this file (`use columns::X` in a facade).
                Some(first) if file_of(&[here.clone(), vec![first.to_string()]].concat(), binary, files).is_some() => {
                    (here.clone(), binary, &segments[..])
                }
                _ => continue,
            };
            let mut target = file_of(&module, in_binary, files);
            for segment in rest {
                module.push(segment.to_string());
                match file_of(&module, in_binary, files) {
                    Some(deeper) => target = Some(deeper),
                    None => break,
                }
            }
            if let Some(target) = target.filter(|t| t != file) {
                targets.insert(target);
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// Groups of files that import each other in a loop (Tarjan's strongly connected components).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(node: &'a str, s: &mut State<'a>) {
        let i = s.index.len();
        s.index.insert(node, i);
        s.low.insert(node, i);
        s.stack.push(node);
        s.on_stack.insert(node);
        for next in s.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !s.index.contains_key(next) {
                visit(next, s);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut group = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                group.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.found.push(group);
            }
        }
    }
    let mut state =
        State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), found: Vec::new() };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(node, &mut state);
        }
    }
    state.found
}

#[test]
fn the_import_reader_follows_groups_super_and_inline_paths() {
    assert_eq!(expand("super::{a::X,b::{c,d::Y}}"), ["super::a::X", "super::b::c", "super::b::d::Y"]);
    let paths = named_paths("use crate::x::{Y, z::W};\nfn f() { crate::period::MONTH_NAMES[0]; missing_report::ingest::read(); }\n");
    for expected in ["crate::x::Y", "crate::x::z::W", "crate::period::MONTH_NAMES", "missing_report::ingest::read"] {
        assert!(paths.contains(&expected.to_string()), "{expected} not in {paths:?}");
    }
    let files: BTreeMap<String, String> = [
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a/mod.rs", "mod inner;\npub use inner::X;\n"),
        ("a/inner.rs", "use crate::b::Y;\n"),
        ("b.rs", "use crate::a::X;\n"),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    let graph = imports(&files);
    assert_eq!(graph["a/mod.rs"], BTreeSet::from(["a/inner.rs".to_string()]));
    assert_eq!(circles(&graph), vec![vec!["a/inner.rs".to_string(), "a/mod.rs".to_string(), "b.rs".to_string()]]);
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let graph = imports(&sources());
    assert!(graph["lib.rs"].contains("ingest/mod.rs"), "the reader found no imports: {graph:?}");
    let found = circles(&graph);
    assert!(found.is_empty(), "import circles (each group imports itself through the others): {found:#?}");
}

#[test]
fn no_stage_reads_the_configuration_or_the_command_line() {
    let graph = imports(&sources());
    let mut offending = Vec::new();
    for (file, targets) in &graph {
        // Only the library's root and the binary run the stages from a configuration.
        if file == "lib.rs" || file.starts_with("config/") || is_binary_side(file) {
            continue;
        }
        for target in targets {
            if target.starts_with("config/") || target == "cli.rs" || target.starts_with("cmd/") {
                offending.push(format!("{file} imports {target}"));
            }
        }
    }
    assert!(offending.is_empty(), "{offending:#?}");
}

#[test]
fn facades_stay_short_and_no_file_becomes_a_drawer() {
    let files = sources();
    let mut offending = Vec::new();
    for (file, text) in &files {
        let lines = text.lines().count();
        let limit = if file == "ingest/mod.rs" || file == "metrics/mod.rs" { 150 } else { 600 };
        if lines > limit {
            offending.push(format!("{file}: {lines} lines (at most {limit})"));
        }
    }
    assert!(offending.is_empty(), "{offending:#?}");
}

#[test]
fn every_module_says_why_it_exists() {
    let missing: Vec<String> = sources().into_iter().filter(|(_, text)| !text.starts_with("//!")).map(|(file, _)| file).collect();
    assert!(missing.is_empty(), "files without a `//!` header: {missing:?}");
}

#[test]
fn child_identifiers_reach_the_watchlist_alone() {
    let files = sources();
    let mut offending = Vec::new();
    // The names that carry identifiers out of ingest: only ingest (which
    // makes them) and the watchlist (which alone receives them) say them.
    for (file, text) in &files {
        if file.starts_with("ingest/") || file.starts_with("watchlist/") {
            continue;
        }
        for name in ["ChildIdentifiers", "ChildIdentifier", "load_identified", "read_identified"] {
            if code(text).contains(name) {
                offending.push(format!("{file} names {name}"));
            }
        }
    }
    // Nothing the public paper is made from reaches the watchlist: only the
    // library's root, the configuration (its settings) and the binary do.
    let graph = imports(&files);
    assert!(graph["lib.rs"].contains("watchlist/mod.rs"), "the reader found the watchlist: {:?}", graph["lib.rs"]);
    for (file, targets) in &graph {
        if file == "lib.rs" || file.starts_with("config/") || file.starts_with("watchlist/") || is_binary_side(file) {
            continue;
        }
        offending.extend(targets.iter().filter(|t| t.starts_with("watchlist/")).map(|t| format!("{file} imports {t}")));
    }
    assert!(offending.is_empty(), "{offending:#?}");
}
