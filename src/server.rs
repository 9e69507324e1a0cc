//! `serve`: the output folder on 127.0.0.1 over plain HTTP, as `mdbook
//! serve` does: the web edition at `/` with a small script that reloads the
//! page when a rebuild finishes (it polls `/__version`), the PDF and every
//! other file of the folder by its path, and a rebuild's error in place of
//! the paper until the next good build. Also the interrupt flag that stops
//! `serve` and `build --watch` cleanly.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use missing_report::output;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// Set once Ctrl-C (SIGINT) or SIGTERM arrives; the handler is installed on first call.
pub fn interrupted() -> &'static AtomicBool {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
        }
    });
    &INTERRUPTED
}

/// What the server shows: the build number the page polls, and the last rebuild's error.
#[derive(Debug, Default)]
pub struct Shown {
    pub version: u64,
    pub error: Option<String>,
}

/// The script that reloads the page after a rebuild.
fn reload_script(version: u64) -> String {
    format!(
        "<script>(function () {{ var shown = \"{version}\"; setInterval(function () {{ fetch(\"/__version\", {{cache: \"no-store\"}}).then(function (r) {{ return r.text(); }}).then(function (v) {{ if (v !== shown) {{ location.reload(); }} }}).catch(function () {{}}); }}, 500); }})();</script>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The page in place of the paper while the last rebuild failed.
fn error_page(error: &str, version: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Rebuild failed</title></head><body><main><h1>The last rebuild failed</h1><p>The paper on disk is the last good one. Fix the error and save; this page reloads by itself.</p><pre>{}</pre></main>{}</body></html>",
        escape(error),
        reload_script(version)
    )
}

/// A path of the request inside the output folder, or `None` for anything that would leave it.
fn file_in(folder: &Path, request: &str) -> Option<PathBuf> {
    let relative = request.split(['?', '#']).next()?.trim_start_matches('/');
    let relative = if relative.is_empty() { "report.html" } else { relative };
    let path = Path::new(relative);
    // Hidden files (the lock, what a run stages) are not the paper's, and
    // nothing in a folder holding the restricted watchlist is served.
    let visible = |c: Component<'_>| matches!(c, Component::Normal(name) if !name.to_string_lossy().starts_with('.'));
    if !path.components().all(visible) {
        return None;
    }
    let restricted = path.ancestors().any(|part| folder.join(part).join(output::RESTRICTED_MARKER).exists());
    (!restricted).then(|| folder.join(path))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

fn handle(mut stream: TcpStream, folder: &Path, shown: &Mutex<Shown>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"GET only\n");
    }
    let (version, error) = {
        let shown = shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (shown.version, shown.error.clone())
    };
    if target == "/__version" {
        return respond(&mut stream, "200 OK", "text/plain", version.to_string().as_bytes());
    }
    let Some(path) = file_in(folder, target) else {
        return respond(&mut stream, "404 Not Found", "text/plain", b"not in the output folder\n");
    };
    let is_page = path.file_name().is_some_and(|n| n == "report.html");
    if let (true, Some(error)) = (is_page, error) {
        return respond(&mut stream, "200 OK", "text/html; charset=utf-8", error_page(&error, version).as_bytes());
    }
    match std::fs::read(&path) {
        Ok(bytes) if is_page => {
            let page = String::from_utf8_lossy(&bytes).replacen("</body>", &format!("{}</body>", reload_script(version)), 1);
            respond(&mut stream, "200 OK", content_type(&path), page.as_bytes())
        }
        Ok(bytes) => respond(&mut stream, "200 OK", content_type(&path), &bytes),
        Err(_) => respond(&mut stream, "404 Not Found", "text/plain", b"no such file in the output folder\n"),
    }
}

/// Listens on 127.0.0.1:`port` and serves `folder` on another thread until interrupted.
pub fn start(port: u16, folder: PathBuf, shown: Arc<Mutex<Shown>>) -> Result<(u16, std::thread::JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port} (try --port 0 for any free port)"))?;
    let port = listener.local_addr()?.port();
    listener.set_nonblocking(true)?;
    let stop = interrupted();
    let thread = std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = handle(stream, &folder, &shown);
                }
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    Ok((port, thread))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_output_folder_are_served() {
        let folder = Path::new("/srv/out");
        assert_eq!(file_in(folder, "/"), Some(folder.join("report.html")));
        assert_eq!(file_in(folder, "/charts/spc_all_episodes.svg?x=1"), Some(folder.join("charts/spc_all_episodes.svg")));
        assert_eq!(file_in(folder, "/../etc/passwd"), None);
        assert_eq!(file_in(folder, "/charts/../../secret"), None);
        assert_eq!(file_in(folder, "//etc/passwd"), Some(folder.join("etc/passwd")), "a leading slash stays inside");
        assert_eq!(file_in(folder, "/.missing-report.lock"), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("list")).unwrap();
        std::fs::write(dir.path().join("list").join(output::RESTRICTED_MARKER), b"").unwrap();
        assert_eq!(file_in(dir.path(), "/list/watchlist-OFFICIAL-SENSITIVE.csv"), None);
        assert_eq!(file_in(dir.path(), "/report.pdf"), Some(dir.path().join("report.pdf")));
    }

    #[test]
    fn an_error_page_shows_the_error_as_text() {
        let page = error_page("bad <b>template</b>", 3);
        assert!(page.contains("bad &lt;b&gt;template&lt;/b&gt;") && page.contains("shown = \"3\""));
    }
}
