//! OpenAPI 3.1 input: each spec under `tests/fixtures-3.1/` must generate exactly
//! the files its 3.0 twin of the same name under `tests/fixtures/` generates.

use std::path::Path;

fn generate(path: &Path) -> generator::files::Files {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    match generator::generate(&text) {
        Ok(output) => output.files,
        Err(error) => panic!("{} does not generate:\n{error}", path.display()),
    }
}

#[test]
fn openapi_31_fixtures_generate_the_same_code_as_their_30_twins() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for entry in
        std::fs::read_dir(root.join("fixtures-3.1")).expect("tests/fixtures-3.1 is readable")
    {
        let path = entry.expect("entry is readable").path();
        let twin = root
            .join("fixtures")
            .join(path.file_name().expect("file name"));
        let (v31, v30) = (generate(&path), generate(&twin));
        assert_eq!(
            v31.keys().collect::<Vec<_>>(),
            v30.keys().collect::<Vec<_>>()
        );
        for (file, text) in &v31 {
            assert!(
                text == &v30[file],
                "{file} differs between {} and its 3.0 twin",
                path.display()
            );
        }
        compared += 1;
    }
    assert!(compared > 0, "no 3.1 fixture was compared");
}

#[test]
fn openapi_31_constructs_without_a_30_form_are_located_warnings() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    P:\n      type: array\n      prefixItems: [{type: string}]\n";
    let output = generator::generate(text).expect("a 3.1 document with prefixItems generates");
    let pointers: Vec<&str> = output.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/components/schemas/P/prefixItems"]);
    assert_eq!(output.warnings[0].line_column, Some((7, 7)));
}
