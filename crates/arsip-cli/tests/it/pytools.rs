//! The outside Python tools the tests check our output with (bagit.py,
//! Sickle), from the venv `bash scripts/setup.sh --test` makes. arsip-api's
//! tests include this file too (`#[path]`).

use std::path::PathBuf;

/// A tool from the test venv (or PATH, when installed elsewhere).
pub fn py_tool(name: &str) -> PathBuf {
    let venv = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(".cache/rpp-arsip/pytools/bin")
        .join(name);
    if venv.exists() {
        return venv;
    }
    which(name).unwrap_or_else(|| panic!("{name} is missing: run `bash scripts/setup.sh --test`"))
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.exists())
    })
}
