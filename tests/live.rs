//! `build --watch` and `serve` against a temporary folder: an edit to the
//! commentary gives a new PDF (and a new page) with the new text, the
//! figures are kept, the server answers on a free loopback port, and an
//! interrupt stops both cleanly (exit 0, the port closed).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::{binary, pdf_text};

/// Every line the child writes to `pipe`, as it comes.
fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits (at most a minute) for a line containing `text`; every line read on the way.
fn wait_for(lines: &Receiver<String>, text: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            let found = line.contains(text);
            seen.push(line);
            if found {
                return seen;
            }
        }
    }
    panic!("no line with {text:?} within a minute: {seen:?}");
}

fn interrupt(child: &mut Child) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "did not stop within 20 s of the interrupt");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `GET path` on 127.0.0.1:`port`: the body.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let response = String::from_utf8_lossy(&bytes);
    assert!(response.starts_with("HTTP/1.1 200"), "{path}: {}", response.lines().next().unwrap_or(""));
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default()
}

#[test]
fn build_watch_rebuilds_the_pdf_when_the_commentary_changes_keeping_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let commentary = dir.path().join("commentary.md");
    std::fs::write(&commentary, "## summary\n\nThe first draft of the summary.\n").unwrap();
    let out = dir.path().join("out");
    let mut child = binary()
        .current_dir(dir.path())
        .args(["build", "--watch", "--commentary"])
        .arg(&commentary)
        .arg("--out")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let said = lines(child.stderr.take().unwrap());
    wait_for(&said, "built in");
    assert!(pdf_text(&out.join("report.pdf")).contains("The first draft of the summary."));

    std::fs::write(&commentary, "## summary\n\nThe managers' second draft, after the meeting.\n").unwrap();
    let rebuilt = wait_for(&said, "built in");
    let line = rebuilt.last().unwrap();
    assert!(line.contains("figures kept"), "a commentary edit re-read the inputs: {line}");
    let text = pdf_text(&out.join("report.pdf"));
    assert!(text.contains("The managers' second draft, after the meeting.") && !text.contains("first draft"), "{text}");
    eprintln!("rebuild after a commentary edit: {line}");

    // A broken commentary file keeps the last good paper and the watch goes on.
    std::fs::write(&commentary, "## no_such_slot\n\nWords.\n").unwrap();
    wait_for(&said, "the last good paper is kept");
    assert!(pdf_text(&out.join("report.pdf")).contains("second draft"));
    assert!(interrupt(&mut child).success());
}

#[test]
fn serve_serves_the_page_reloads_after_a_rebuild_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let commentary = dir.path().join("commentary.md");
    std::fs::write(&commentary, "## summary\n\nSummary before the edit.\n").unwrap();
    let out = dir.path().join("out");
    let mut child = binary()
        .current_dir(dir.path())
        .args(["serve", "--port", "0", "--commentary"])
        .arg(&commentary)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed = lines(child.stdout.take().unwrap());
    let said = lines(child.stderr.take().unwrap());
    let first = wait_for(&printed, "serving");
    let port: u16 = first.last().unwrap().split("127.0.0.1:").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
    wait_for(&said, "built in");
    assert_eq!(get(port, "/__version"), "1");
    let page = get(port, "/");
    assert!(page.contains("Summary before the edit.") && page.contains("/__version"), "the page or its reload script is missing");
    assert!(get(port, "/report.pdf").starts_with("%PDF"));

    std::fs::write(&commentary, "## summary\n\nSummary after the edit.\n").unwrap();
    wait_for(&said, "built in");
    assert_eq!(get(port, "/__version"), "2", "the reload signal");
    let page = get(port, "/");
    assert!(page.contains("Summary after the edit.") && !page.contains("before the edit"));

    assert!(interrupt(&mut child).success(), "serve did not stop cleanly");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "the port is still open after serve stopped");
}
