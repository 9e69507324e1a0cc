//! The dependency tree held as `cargo deny check licenses bans` would hold
//! it, from `cargo metadata` (nothing more to install): every crate under a
//! licence that lets a council run, share and publish with the tool; no
//! network client except those polars brings for its cloud readers, which
//! this tool never calls (polars only sees frames built in memory); and no
//! duplicated crate but the reviewed ones. A build run under strace opens
//! no socket: nothing is fetched at run time. Run on Linux with glibc, as CI is.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

/// Licences (SPDX ids) a council can use, share and publish under.
const ALLOWED: [&str; 15] = [
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "MPL-2.0",
    "BSL-1.0",
    "CC0-1.0",
    "0BSD",
    "Unlicense",
];

/// Crates that talk to a network.
const NETWORK: [&str; 16] = [
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "h2",
    "quinn",
    "rustls",
    "tokio-rustls",
    "openssl",
    "openssl-sys",
    "native-tls",
    "curl",
    "ureq",
    "isahc",
    "attohttpc",
    "object_store",
];

/// Crates in two or more versions, reviewed: each comes from inside polars,
/// typst, resvg or their dependencies, where no version of ours can join
/// them (roxmltree: resvg's 0.21 beside fontconfig-parser's 0.20, which our
/// chart tests share; hashbrown: ours is halfbrown's 0.16, beside polars'
/// 0.17 and planus' 0.15).
const REVIEWED_DUPLICATES: [&str; 19] = [
    "base64",
    "bincode",
    "constant_time_eq",
    "fearless_simd",
    "float-cmp",
    "foldhash",
    "getrandom",
    "hashbrown",
    "hayro-ccitt",
    "miniz_oxide",
    "phf",
    "phf_shared",
    "quick-xml",
    "rand",
    "rand_core",
    "roxmltree",
    "strum_macros",
    "syn",
    "vello_common",
];

struct Tree {
    /// id → (name, version, licence)
    packages: BTreeMap<String, (String, String, Option<String>)>,
    /// id → the ids it depends on (any kind)
    deps: BTreeMap<String, Vec<String>>,
    root: String,
}

fn tree() -> Tree {
    // The crates this machine builds (the build has fetched them, so no network is needed).
    let platform = format!("{}-unknown-{}-gnu", std::env::consts::ARCH, std::env::consts::OS);
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline", "--filter-platform", &platform])
        .stdin(Stdio::null())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let resolve = &metadata["resolve"];
    let used: BTreeSet<&str> = resolve["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    let packages = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| used.contains(p["id"].as_str().unwrap()))
        .map(|p| {
            let text = |key: &str| p[key].as_str().map(str::to_string);
            (text("id").unwrap(), (text("name").unwrap(), text("version").unwrap(), text("license")))
        })
        .collect();
    let deps = resolve["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deps = n["deps"].as_array().unwrap().iter().map(|d| d["pkg"].as_str().unwrap().to_string()).collect();
            (n["id"].as_str().unwrap().to_string(), deps)
        })
        .collect();
    Tree { packages, deps, root: resolve["root"].as_str().unwrap().to_string() }
}

/// Whether an SPDX expression allows use: every part joined by AND has an
/// allowed alternative among those joined by OR (`/` is an old OR).
fn allowed(expression: &str) -> bool {
    let expression = expression.replace(['(', ')'], "").replace('/', " OR ");
    expression.split(" AND ").all(|part| part.split(" OR ").any(|licence| ALLOWED.contains(&licence.trim())))
}

#[test]
fn every_dependency_has_a_licence_a_council_can_publish_under() {
    let tree = tree();
    assert!(tree.packages.len() > 300, "{} packages", tree.packages.len());
    let refused: Vec<String> = tree
        .packages
        .values()
        .filter(|(_, _, licence)| !licence.as_deref().is_some_and(allowed))
        .map(|(name, version, licence)| format!("{name} {version}: {licence:?}"))
        .collect();
    assert!(refused.is_empty(), "licences not on the allowed list:\n{}", refused.join("\n"));
    assert!(allowed("(MIT OR Apache-2.0) AND Unicode-3.0") && allowed("MIT/Apache-2.0"));
    assert!(!allowed("GPL-3.0") && !allowed("MIT AND GPL-2.0") && !allowed("AGPL-3.0 OR SSPL-1.0"));
}

#[test]
fn no_network_client_is_reached_except_through_polars() {
    let tree = tree();
    let name = |id: &String| tree.packages[id].0.clone();
    // Walk from this crate, not into polars.
    let (mut seen, mut stack) = (BTreeSet::new(), vec![tree.root.clone()]);
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        for dep in &tree.deps[&id] {
            if !name(dep).starts_with("polars") {
                stack.push(dep.clone());
            }
        }
    }
    let reached: Vec<String> = seen.iter().map(name).filter(|n| NETWORK.contains(&n.as_str())).collect();
    assert!(reached.is_empty(), "network clients reached other than through polars: {reached:?}");
}

#[test]
fn no_crate_is_duplicated_but_the_reviewed_ones() {
    let tree = tree();
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, version, _) in tree.packages.values() {
        versions.entry(name).or_default().push(version);
    }
    let unreviewed: Vec<String> = versions
        .iter()
        .filter(|(name, v)| v.len() > 1 && !REVIEWED_DUPLICATES.contains(name))
        .map(|(name, v)| format!("{name} {v:?}"))
        .collect();
    assert!(
        unreviewed.is_empty(),
        "crates in two versions, not reviewed (align a version of ours, or review and list them):\n{}",
        unreviewed.join("\n")
    );
}

#[test]
fn a_build_opens_no_network_socket() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let output = Command::new("strace")
        .args(["-f", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_missing-report"))
        .args(["build", "--template", "corporate-parenting", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("strace is installed (.ci/run installs it)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(Path::new(&dir.path().join("out/report.pdf")).is_file());
    let trace = std::fs::read_to_string(trace).unwrap();
    assert!(trace.contains("exited with 0"), "strace traced nothing: {trace}");
    let sockets: Vec<&str> = trace.lines().filter(|l| l.contains("socket(") || l.contains("connect(")).collect();
    assert!(sockets.is_empty(), "the build opened sockets:\n{}", sockets.join("\n"));
}
