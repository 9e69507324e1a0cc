//! Writes finished outputs so that a failed, interrupted or concurrent run
//! never leaves a half-written or mixed set: a command claims its output
//! folder (proving it writable and locking it) before any work, stages every
//! file in a hidden folder, and renames them into place only once all are
//! written.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

/// One file a command writes: where (relative to its output folder, or a
/// whole path) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        OutputFile { path: path.into(), bytes }
    }
}

/// The lock file a claimed output folder holds while a command writes to it.
pub const LOCK_FILE: &str = ".missing-report.lock";
/// Where the files of a run are written before they are renamed into place.
/// A run that was killed leaves it behind; the next claim removes it.
pub const STAGING_FOLDER: &str = ".missing-report-staging";

/// The file that marks (and, while a run writes, locks) a folder holding the
/// restricted watchlist: `build` refuses such a folder and every folder inside one.
pub const RESTRICTED_MARKER: &str = ".missing-report-restricted";

/// How many threads stage a run's files. Two flush about as fast as eight
/// (their flushes share journal commits), and each thread more costs fresh
/// memory and a place on the processor while the paper is laid out: the
/// corporate-parenting pack was built 5-7% faster with two than with eight,
/// the regional batch no slower.
const STAGING_THREADS: usize = 2;

/// An output folder this process has locked for writing.
#[derive(Debug)]
pub struct OutputFolder {
    path: PathBuf,
    /// Held until the folder is dropped; the operating system releases it if the process dies.
    _lock: File,
    /// The claim made the folder: a run that writes nothing removes it again.
    created: bool,
    written: AtomicBool,
    /// Files staged and not yet renamed into place, relative to the folder.
    staged: Mutex<Vec<PathBuf>>,
}

impl Drop for OutputFolder {
    /// A failed run leaves nothing it staged, and no folder it created.
    fn drop(&mut self) {
        if !self.written.load(Ordering::Relaxed) {
            let _ = self.clear_staging();
        }
        if self.created && !self.written.load(Ordering::Relaxed) {
            let _ = std::fs::remove_file(self.path.join(LOCK_FILE));
            let _ = std::fs::remove_dir(&self.path);
        }
    }
}

impl OutputFolder {
    /// Creates `path` if needed, proves it can be written, locks it against
    /// another run and clears what a killed run staged. Call it before any work.
    pub fn claim(path: &Path) -> Result<OutputFolder> {
        if let Some(restricted) = restricted_folder_of(path) {
            bail!(
                "{} holds the restricted watchlist (OFFICIAL-SENSITIVE, child identifiers): a paper's output folder must be outside it; choose another folder with --out",
                restricted.display()
            );
        }
        if let Some(folder) = restricted_below(path) {
            bail!(
                "{} holds the restricted watchlist (OFFICIAL-SENSITIVE, child identifiers) inside {}: a paper's output folder is often sent whole, so it must not hold the list; choose another folder with --out",
                folder.display(),
                path.display()
            );
        }
        let created = !path.exists();
        std::fs::create_dir_all(path).with_context(|| format!("the output folder {} cannot be created", path.display()))?;
        let lock_path = path.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("the output folder {} cannot be written (creating {LOCK_FILE})", path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "another run is writing to the output folder {}: wait for it to finish, or choose another folder with --out",
                path.display()
            ),
            Err(std::fs::TryLockError::Error(error)) => {
                return Err(error).with_context(|| format!("the output folder {} cannot be locked", path.display()))
            }
        }
        let folder = OutputFolder {
            path: path.to_path_buf(),
            _lock: lock,
            created,
            written: AtomicBool::new(false),
            staged: Mutex::new(Vec::new()),
        };
        folder.clear_staging()?;
        Ok(folder)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn staging(&self) -> PathBuf {
        self.path.join(STAGING_FOLDER)
    }

    fn clear_staging(&self) -> Result<()> {
        let staging = self.staging();
        match std::fs::remove_dir_all(&staging) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(error).with_context(|| format!("cannot remove {} left by an earlier run", staging.display())),
        }
    }

    /// Writes every file to the staging folder, then renames each into place.
    /// If any file cannot be written, nothing is replaced.
    pub fn write(&self, files: &[OutputFile]) -> Result<()> {
        self.stage(files)?;
        self.commit()
    }

    /// Writes `files` to the staging folder, where no reader sees them, from
    /// any thread; `commit` puts everything staged in place. If a file
    /// cannot be written, everything staged is removed and nothing is replaced.
    pub fn stage(&self, files: &[OutputFile]) -> Result<()> {
        self.stage_each(&files.iter().collect::<Vec<_>>())
    }

    /// `stage` for files held elsewhere.
    fn stage_each(&self, files: &[&OutputFile]) -> Result<()> {
        let staging = self.staging();
        let stage = |file: &&OutputFile| -> Result<()> {
            let staged = staging.join(&file.path);
            if let Some(parent) = staged.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create folder {}", parent.display()))?;
            }
            write_synced(&staged, &file.bytes, None)
        };
        // Flushing to disk waits on the device, not the processor: files are
        // staged from several threads at once, so their flushes share journal commits.
        let share = files.len().div_ceil(STAGING_THREADS).max(1);
        let results = std::thread::scope(|scope| {
            let parts: Vec<_> = files.chunks(share).map(|part| scope.spawn(move || part.iter().map(stage).collect::<Vec<_>>())).collect();
            parts.into_iter().flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect::<Vec<_>>()
        });
        if let Err(error) = results.into_iter().collect::<Result<Vec<()>>>() {
            let _ = self.clear_staging();
            return Err(error.context(format!("nothing in {} was replaced", self.path.display())));
        }
        self.staged.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(files.iter().map(|f| f.path.clone()));
        Ok(())
    }

    /// `write` for the files of `files` not staged already (`build` stages
    /// the charts and exports while the paper is laid out), then every
    /// staged file into place.
    pub fn write_rest(&self, files: &[OutputFile]) -> Result<()> {
        let staged = self.staged.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let rest: Vec<&OutputFile> = files.iter().filter(|f| !staged.contains(&f.path)).collect();
        self.stage_each(&rest)?;
        self.commit()
    }

    /// Renames every staged file into place, in the order staged.
    pub fn commit(&self) -> Result<()> {
        crate::fault::point("staged");
        self.written.store(true, Ordering::Relaxed);
        let staged = std::mem::take(&mut *self.staged.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let staging = self.staging();
        for path in staged {
            let target = self.path.join(&path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create folder {}", parent.display()))?;
            }
            std::fs::rename(staging.join(&path), &target).with_context(|| format!("cannot replace {}", target.display()))?;
        }
        self.clear_staging()
    }
}

/// The restricted watchlist's folder that `path` is or lies inside, if any:
/// `build` neither writes nor reads there.
pub fn restricted_folder_of(path: &Path) -> Option<PathBuf> {
    ancestors_holding(path, RESTRICTED_MARKER)
}

/// The folder itself or the nearest folder above it that holds `marker`.
fn ancestors_holding(path: &Path, marker: &str) -> Option<PathBuf> {
    absolute(path).ancestors().find(|folder| folder.join(marker).exists()).map(Path::to_path_buf)
}

/// A folder just below `path` (following links to folders, as a zip tool
/// may) that holds the restricted watchlist: a paper's output folder is
/// often sent whole. One level only, so a regional build's thousands of
/// files are never walked; the watchlist itself refuses to be made inside
/// a build folder, so this is the list made first with a build folder put
/// around it afterwards.
fn restricted_below(path: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(path).into_iter().flatten().flatten();
    entries.map(|entry| entry.path()).find(|folder| folder.join(RESTRICTED_MARKER).exists())
}

/// `path` from the root, following links as far as it exists (a folder
/// yet to be made is joined on), so that two spellings of one place compare equal.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut existing = path.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p: PathBuf, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// The folder of the restricted watchlist, claimed for writing: its own
/// folder (mode 0700, created if need be), never a paper's output folder
/// nor inside one, holding nothing but the watchlist's files, each written
/// readable by the owner only (mode 0600).
#[derive(Debug)]
pub struct RestrictedFolder {
    path: PathBuf,
    _lock: File,
}

impl RestrictedFolder {
    /// `names`: the only files the folder may already hold. `paper_output`:
    /// the configured output folder of `build` (refused, with every folder
    /// inside it, even before anything is built there).
    pub fn claim(path: &Path, names: &[&str], paper_output: &Path) -> Result<RestrictedFolder> {
        let shown = path.display();
        let place = absolute(path);
        if place.starts_with(absolute(paper_output)) {
            bail!(
                "{shown} is the papers' output folder ({}) or inside it: the restricted watchlist needs a folder of its own, outside every build output",
                paper_output.display()
            );
        }
        if let Some(built) = ancestors_holding(path, LOCK_FILE) {
            bail!(
                "{shown} is a build output folder or inside one ({} holds {LOCK_FILE}): the restricted watchlist needs a folder of its own, outside every build output",
                built.display()
            );
        }
        if path.exists() {
            if !path.is_dir() {
                bail!("{shown} is a file: give --out a folder for the watchlist");
            }
            let entries = std::fs::read_dir(path).with_context(|| format!("cannot read the folder {shown}"))?;
            let mut left_partial = Vec::new();
            for entry in entries {
                let entry = entry.with_context(|| format!("cannot read the folder {shown}"))?;
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') && name.ends_with(PARTIAL) {
                    left_partial.push(entry.path());
                } else if name != RESTRICTED_MARKER && !names.contains(&name.as_ref()) {
                    bail!("{shown} holds `{name}`, which the watchlist did not write: the restricted watchlist needs a folder of its own (a new one is made with mode 0700)");
                }
            }
            // What a killed run half wrote holds identifiers too.
            for path in left_partial {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {} left by an earlier run", path.display()))?;
            }
        } else {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create folder {}", parent.display()))?;
            }
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(path).with_context(|| format!("cannot create the watchlist folder {shown}"))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("cannot make {shown} readable by its owner only"))?;
        }
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let lock = options.open(path.join(RESTRICTED_MARKER)).with_context(|| format!("cannot write to {shown}"))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => bail!("another run is writing the watchlist in {shown}: wait for it to finish"),
            Err(std::fs::TryLockError::Error(error)) => return Err(error).with_context(|| format!("cannot lock {shown}")),
        }
        Ok(RestrictedFolder { path: path.to_path_buf(), _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every file readable by the owner only (mode 0600): all written in
    /// full first, then each renamed into place, so a failure replaces
    /// nothing and this list never stands beside part of the last one.
    pub fn write(&self, files: &[OutputFile]) -> Result<()> {
        let mut written = Vec::new();
        for file in files {
            let target = self.path.join(&file.path);
            let temporary = partial_path(&target);
            written.push((temporary.clone(), target));
            if let Err(error) = write_synced(&temporary, &file.bytes, Some(0o600)) {
                for (temporary, _) in &written {
                    let _ = std::fs::remove_file(temporary);
                }
                return Err(error.context(format!("nothing in {} was replaced", self.path.display())));
            }
        }
        for (temporary, target) in &written {
            std::fs::rename(temporary, target).with_context(|| format!("cannot replace {}", target.display()))?;
        }
        Ok(())
    }
}

/// Who may read a file written alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The usual mode for new files.
    Default,
    /// The owner only (mode 0600): files holding personal data.
    OwnerOnly,
}

/// Writes `bytes` to `path` via a temporary file in the same folder, renamed into place.
pub fn write_atomically(path: &Path, bytes: &[u8], access: Access) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create folder {}", folder.display()))?;
    let temporary = partial_path(path);
    let mode = (access == Access::OwnerOnly).then_some(0o600);
    if let Err(error) = write_synced(&temporary, bytes, mode) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot replace {}", path.display())
    })
}

/// The end of the name of a file being written, before it is renamed into place.
const PARTIAL: &str = ".partial";

/// Where `path` is written before it is renamed into place: beside it, hidden.
fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    path.with_file_name(format!(".{name}.{}{PARTIAL}", std::process::id()))
}

/// Creates `path` afresh (with `mode` on Unix when given), writes `bytes` and flushes them to disk.
fn write_synced(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let _ = std::fs::remove_file(path);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all().with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_a_locked_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputFolder::claim(dir.path()).unwrap();
        let error = OutputFolder::claim(dir.path()).unwrap_err().to_string();
        assert!(error.starts_with("another run is writing to the output folder"), "{error}");
        drop(first);
        OutputFolder::claim(dir.path()).unwrap();
    }

    #[test]
    fn a_failed_write_replaces_nothing_and_leaves_no_staged_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = OutputFolder::claim(dir.path()).unwrap();
        folder.write(&[OutputFile::new("a.csv", b"old a".to_vec()), OutputFile::new("b.csv", b"old b".to_vec())]).unwrap();
        // A file cannot be staged under a path whose parent is a file.
        let files = [OutputFile::new("a.csv", b"new a".to_vec()), OutputFile::new("blocker/b.csv", b"new b".to_vec())];
        std::fs::create_dir_all(dir.path().join(STAGING_FOLDER)).unwrap();
        std::fs::write(dir.path().join(STAGING_FOLDER).join("blocker"), b"").unwrap();
        let error = format!("{:#}", folder.write(&files).unwrap_err());
        assert!(error.contains("nothing in"), "{error}");
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"old a");
        assert_eq!(std::fs::read(dir.path().join("b.csv")).unwrap(), b"old b");
        assert!(!dir.path().join(STAGING_FOLDER).exists());
    }

    #[test]
    fn a_folder_the_claim_made_is_removed_if_nothing_is_written_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        drop(OutputFolder::claim(&path).unwrap());
        assert!(!path.exists());
        let folder = OutputFolder::claim(&path).unwrap();
        folder.write(&[OutputFile::new("a.csv", b"a".to_vec())]).unwrap();
        drop(folder);
        assert_eq!(std::fs::read(path.join("a.csv")).unwrap(), b"a");
    }

    #[test]
    fn files_staged_but_never_committed_are_removed_with_the_folder_the_claim_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let folder = OutputFolder::claim(&path).unwrap();
        folder.stage(&[OutputFile::new("north/report.pdf", b"pdf".to_vec())]).unwrap();
        assert!(path.join(STAGING_FOLDER).join("north/report.pdf").is_file());
        drop(folder);
        assert!(!path.exists(), "a run that failed after staging leaves nothing");
        // Into a folder that was there: staged files go, the folder stays, nothing is put in place.
        std::fs::create_dir(&path).unwrap();
        let folder = OutputFolder::claim(&path).unwrap();
        folder.stage(&[OutputFile::new("north/report.pdf", b"pdf".to_vec())]).unwrap();
        drop(folder);
        assert!(!path.join(STAGING_FOLDER).exists() && !path.join("north").exists());
    }

    #[test]
    fn the_claim_clears_what_a_killed_run_staged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STAGING_FOLDER).join("charts")).unwrap();
        std::fs::write(dir.path().join(STAGING_FOLDER).join("charts/x.svg"), b"<svg").unwrap();
        OutputFolder::claim(dir.path()).unwrap();
        assert!(!dir.path().join(STAGING_FOLDER).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_restricted_folder_is_the_owners_and_a_killed_runs_partial_files_go() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list");
        let names = ["a.csv", "b.pdf"];
        let folder = RestrictedFolder::claim(&path, &names, &dir.path().join("out")).unwrap();
        folder.write(&[OutputFile::new("a.csv", b"a".to_vec()), OutputFile::new("b.pdf", b"b".to_vec())]).unwrap();
        drop(folder);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&path), mode(&path.join("a.csv")), mode(&path.join("b.pdf"))), (0o700, 0o600, 0o600));
        std::fs::write(path.join(".a.csv.99.partial"), b"half").unwrap();
        let again = RestrictedFolder::claim(&path, &names, &dir.path().join("out")).unwrap();
        assert!(!path.join(".a.csv.99.partial").exists());
        // A file cannot be written under a folder that does not exist: nothing is replaced.
        let error =
            format!("{:#}", again.write(&[OutputFile::new("a.csv", b"new".to_vec()), OutputFile::new("c/x", b"x".to_vec())]).unwrap_err());
        assert!(error.contains("nothing in"), "{error}");
        assert_eq!(std::fs::read(path.join("a.csv")).unwrap(), b"a");
        assert_eq!(std::fs::read_dir(&path).unwrap().count(), 3, "the marker, a.csv and b.pdf: no partial file left");
    }

    #[cfg(unix)]
    #[test]
    fn an_owner_only_file_has_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("findings.csv");
        write_atomically(&path, b"row,rule\n", Access::OwnerOnly).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"row,rule\n");
    }
}
