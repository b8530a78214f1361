//! Architecture invariants kept as tests.

/// arsip-core knows nothing of HTTP, Tauri or the terminal (ARCHITECTURE.md).
#[test]
fn the_core_depends_on_no_shell_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "arsip-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    for shell in [
        "axum ",
        "tauri ",
        "clap ",
        "indicatif ",
        "hyper ",
        "crossterm ",
    ] {
        assert!(
            !tree.lines().any(|l| l.starts_with(shell)),
            "arsip-core depends on {shell}"
        );
    }
    assert!(
        tree.lines().any(|l| l.starts_with("tantivy ")),
        "the check reads the real tree"
    );
}
