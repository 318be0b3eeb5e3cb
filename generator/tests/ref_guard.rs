//! The reference guard of `generator::build::Builder`, for every way a build
//! script can name its spec: a bare file name, `./`, `../`, an absolute path, a
//! symlinked folder, and a symlink inside the folder that points out of it.
//!
//! One test in a binary of its own: it changes the working folder, which no
//! other test may share.

use std::path::{Path, PathBuf};

use generator::build::{BuildError, Builder};

/// `dir/elsewhere/note.yaml` (outside), `dir/spec/api.yaml` whose reference
/// leaves its folder, `dir/spec/via-link.yaml` whose reference goes through
/// `dir/spec/parts/note.yaml`, a symlink to the outside file, and `dir/linked`,
/// a symlink to `dir/spec`.
fn layout(dir: &Path) {
    std::fs::create_dir_all(dir.join("elsewhere")).expect("writable");
    std::fs::create_dir_all(dir.join("spec/parts")).expect("writable");
    std::fs::write(dir.join("elsewhere/note.yaml"), "Note: {type: string}\n").expect("writable");
    let spec = |target: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /note:\n    get:\n      operationId: getNote\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '{target}#/Note'}}}}}}}}\n"
        )
    };
    std::fs::write(dir.join("spec/api.yaml"), spec("../elsewhere/note.yaml")).expect("writable");
    std::fs::write(dir.join("spec/via-link.yaml"), spec("parts/note.yaml")).expect("writable");
    std::os::unix::fs::symlink(
        dir.join("elsewhere/note.yaml"),
        dir.join("spec/parts/note.yaml"),
    )
    .expect("symlinks can be made");
    std::os::unix::fs::symlink(dir.join("spec"), dir.join("linked")).expect("symlinks can be made");
}

fn refused(spec: impl Into<PathBuf>) -> Result<(), String> {
    let spec = spec.into();
    match Builder::new(&spec).generate() {
        Err(BuildError::Invalid { rendered: text, .. }) => {
            match text.contains("E0104") && text.contains("outside the spec's folder") {
                true => Ok(()),
                false => Err(format!("{}: not the guard's error: {text}", spec.display())),
            }
        }
        Err(other) => Err(format!("{}: another error: {other}", spec.display())),
        Ok(_) => Err(format!(
            "{}: generated from a file outside its folder",
            spec.display()
        )),
    }
}

#[test]
fn every_way_of_naming_the_spec_keeps_references_inside_its_folder() {
    let dir = std::env::temp_dir().join(format!("generator-ref-guard-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    layout(&dir);
    std::env::set_current_dir(dir.join("spec")).expect("the folder exists");
    let forms: Vec<PathBuf> = vec![
        "api.yaml".into(),
        "./api.yaml".into(),
        "../spec/api.yaml".into(),
        dir.join("spec/api.yaml"),
        dir.join("linked/api.yaml"),
        "../linked/api.yaml".into(),
        "via-link.yaml".into(),
        dir.join("spec/via-link.yaml"),
        dir.join("linked/via-link.yaml"),
    ];
    let failures: Vec<String> = forms.into_iter().filter_map(|f| refused(f).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    // The guard is about the folder, not the reference: with the file moved in,
    // the bare name generates.
    std::fs::copy(dir.join("elsewhere/note.yaml"), dir.join("spec/note.yaml")).expect("copies");
    std::fs::write(
        dir.join("spec/inside.yaml"),
        std::fs::read_to_string(dir.join("spec/api.yaml"))
            .expect("written")
            .replace("../elsewhere/note.yaml", "./note.yaml"),
    )
    .expect("writable");
    Builder::new("inside.yaml")
        .generate()
        .expect("a reference inside the folder is followed");
}
