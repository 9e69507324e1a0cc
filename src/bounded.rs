//! Reads a file the user names without reading past a limit, so a file far
//! larger than its kind can be (or a device such as /dev/zero, which never
//! ends) is refused instead of filling the memory.

use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::format::thousands;

/// A UTF-8 text file of at most `limit` bytes; `what` names it in errors
/// ("configuration file").
pub fn read_text(path: &Path, limit: u64, what: &str) -> anyhow::Result<String> {
    let bytes = read_at_most(path, limit).with_context(|| format!("cannot read {what} {}", path.display()))?.with_context(|| {
        format!("the {what} {} holds more than {} bytes, far more than it should: is it the right file?", path.display(), thousands(limit))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "the {what} {} is not UTF-8 text (byte {} cannot be read): save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// The file's bytes, or `None` when it holds more than `limit` bytes. A
/// device (a terminal, /dev/zero) is refused; a pipe is read up to the limit.
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    read_watched(path, limit, |_| true)
}

/// As `read_at_most`, showing `watch` each piece as it is read; when it
/// answers false, reading stops and the answer is `None` (the watcher knows why).
pub fn read_watched(path: &Path, limit: u64, mut watch: impl FnMut(&[u8]) -> bool) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a folder, not a file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_char_device() || kind.is_block_device() || kind.is_socket() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a device, not a file"));
        }
    }
    let expected = metadata.len();
    if expected > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(expected as usize);
    let mut file = file.take(limit + 1);
    let mut piece = vec![0u8; 1 << 20];
    loop {
        let read = match file.read(&mut piece) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if !watch(&piece[..read]) {
            return Ok(None);
        }
        bytes.extend_from_slice(&piece[..read]);
    }
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_at_most(&path, 5).unwrap(), Some(b"12345".to_vec()));
        assert_eq!(read_at_most(&path, 4).unwrap(), None);
        #[cfg(unix)]
        assert_eq!(read_at_most(Path::new("/dev/zero"), 1000).unwrap_err().to_string(), "it is a device, not a file");
        assert_eq!(read_at_most(dir.path(), 1000).unwrap_err().to_string(), "it is a folder, not a file");
    }
}
