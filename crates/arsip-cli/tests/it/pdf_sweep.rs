//! A sweep over real PDFs that no one here wrote: the documentation PDFs Debian's
//! texlive documentation packages install (scripts/setup.sh installs them; made by
//! pdfTeX, LuaTeX, xdvipdfmx, Ghostscript and Acrobat Distiller, some encrypted).
//! Each is read the way `arsip ingest` reads a PDF's text layer: pdf-extract in the
//! `arsip __pdf-text` worker process under a deadline, poppler as the fallback.
//! None may take the batch down, and every PDF whose text poppler's `pdftotext`
//! can read must yield that text (most of its words) through our path.

use arsip_core::extract::pdf::{text_layer, usable_text};
use arsip_core::extract::PdfTextWorker;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DOC_ROOT: &str = "/usr/share/doc/texlive-doc";

fn pdfs_under(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

/// The words (4+ letters, lowercased) of a text.
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The reference reading: poppler's `pdftotext` on the whole file, or None when
/// poppler refuses the file.
fn reference_words(path: &Path) -> Option<HashSet<String>> {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(words(&String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn real_world_pdfs_yield_their_text() {
    let mut files = Vec::new();
    pdfs_under(Path::new(DOC_ROOT), &mut files);
    files.sort();
    assert!(
        files.len() >= 300,
        "found {} PDFs under {DOC_ROOT}: run scripts/setup.sh, which installs the texlive documentation packages",
        files.len()
    );
    let worker = PdfTextWorker::Command {
        program: env!("CARGO_BIN_EXE_arsip").into(),
        args: vec!["__pdf-text".into()],
    };
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let (invalid, pages, no_text) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let recalls = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
            s.spawn(|| {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Some(reference) = reference_words(path) else {
                        invalid.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    let deadline = Instant::now() + Duration::from_secs(120);
                    let texts = match text_layer(path, &worker, deadline) {
                        Ok(texts) => texts,
                        Err(e) => {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{}: {e}", path.display()));
                            continue;
                        }
                    };
                    pages.fetch_add(texts.len(), Ordering::Relaxed);
                    if reference.len() < 20 {
                        // A figure or logo: no text layer to speak of; ingest OCRs it.
                        no_text.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let ours = words(&texts.concat());
                    let recall =
                        reference.intersection(&ours).count() as f64 / reference.len() as f64;
                    recalls.lock().unwrap().push((recall, path.clone()));
                    if !texts.iter().any(|t| usable_text(t)) || recall < 0.8 {
                        failures.lock().unwrap().push(format!(
                            "{}: {:.0}% of poppler's {} words",
                            path.display(),
                            recall * 100.0,
                            reference.len()
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let mut recalls = recalls.into_inner().unwrap();
    recalls.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "{} PDFs ({} pages) in {:.0?}: {} with text, median word recall vs pdftotext {:.1}%, \
         {} without a text layer, {} refused by poppler, {} failed",
        files.len(),
        pages.into_inner(),
        started.elapsed(),
        recalls.len(),
        recalls.get(recalls.len() / 2).map_or(0.0, |r| r.0 * 100.0),
        no_text.into_inner(),
        invalid.into_inner(),
        failures.len(),
    );
    for (recall, path) in recalls.iter().take(5) {
        println!("  lowest recall {:.1}%: {}", recall * 100.0, path.display());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
