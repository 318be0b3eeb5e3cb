//! Generates the client into `OUT_DIR/client.rs`, which `src/lib.rs` includes.

fn main() {
    generator::build::Builder::new("../../spec/beeper-desktop-api.yaml")
        .config("generator.toml")
        .features(["accounts"])
        .write_to_out_dir()
        .unwrap_or_else(|error| panic!("{error}"));
}
