//! Tables for the runtime's table macros (`struct_decoder!`, `string_enum!`),
//! for the `emit` phase: a type's wire names and how to read them, one row per
//! line, where the code they stand for would have been a match arm or three.
//!
//! prettyplease lays a macro's tokens out like a paragraph, so the invocation
//! is printed by prettyplease with only the type's name inside (the `cfg` and
//! the path print as on any item) and the rows are put in below the name.
//! A row is a few tokens the emitters make from identifiers of the naming
//! module and string literals that proc-macro2 escapes, so it needs no syntax
//! tree to be printed right, and none is built: a tree for these rows was most
//! of the time printing a large crate took.

use std::fmt::Write;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::EmitError;

/// One invocation of a table macro: `path! { Name { row, … } }`.
pub struct Table {
    /// The macro, by absolute path: `crate::runtime::string_enum`.
    path: TokenStream,
    /// The type the table is for.
    name: Ident,
    /// The rows, without their trailing commas.
    rows: Vec<String>,
}

impl Table {
    /// An empty table of macro `path` for type `name`.
    pub fn new(path: TokenStream, name: &Ident) -> Self {
        Table {
            path,
            name: name.clone(),
            rows: Vec::new(),
        }
    }

    /// Adds a row: its text, without the comma that follows it.
    pub fn row(&mut self, text: String) {
        self.rows.push(text);
    }

    /// The invocation under `cfg` (an attribute, or nothing), after a blank
    /// line like every item.
    pub fn print(&self, file: &str, cfg: &TokenStream) -> Result<String, EmitError> {
        let Table { path, name, rows } = self;
        let outline = super::parse(file, quote!(#cfg #path! { #name }))?;
        let printed = prettyplease::unparse(&outline);
        let name_line = format!("    {name}\n}}\n");
        let Some(head) = printed.strip_suffix(&name_line) else {
            return Err(EmitError {
                file: file.to_owned(),
                message: format!("the outline of the `{name}` table printed as {printed:?}"),
            });
        };
        let mut out = String::with_capacity(head.len() + 64 * (rows.len() + 2));
        out.push('\n');
        out.push_str(head);
        if rows.is_empty() {
            let _ = writeln!(out, "    {name} {{}}");
        } else {
            let _ = writeln!(out, "    {name} {{");
            for row in rows {
                let _ = writeln!(out, "        {row},");
            }
            out.push_str("    }\n");
        }
        out.push_str("}\n");
        Ok(out)
    }
}

/// A string literal as Rust source, escaped.
pub fn string_literal(text: &str) -> String {
    Literal::string(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&str]) -> Table {
        let name = proc_macro2::Ident::new("Pair", proc_macro2::Span::call_site());
        let mut table = Table::new(quote!(crate::runtime::struct_decoder), &name);
        for row in rows {
            table.row((*row).to_owned());
        }
        table
    }

    #[test]
    fn rows_print_one_per_line_under_the_cfg() {
        let cfg = quote!(#[cfg(feature = "a")]);
        let rows = [
            format!("0 {} => a: required", string_literal("a\"b")),
            "1 \"type\" => r#type: optional".to_owned(),
        ];
        let printed = table(&rows.iter().map(String::as_str).collect::<Vec<_>>())
            .print("f.rs", &cfg)
            .expect("prints");
        assert_eq!(
            printed,
            "\n#[cfg(feature = \"a\")]\ncrate::runtime::struct_decoder! {\n    Pair {\n        \
             0 \"a\\\"b\" => a: required,\n        1 \"type\" => r#type: optional,\n    }\n}\n"
        );
    }

    #[test]
    fn an_empty_table_is_braces() {
        let printed = table(&[])
            .print("f.rs", &TokenStream::new())
            .expect("prints");
        assert_eq!(
            printed,
            "\ncrate::runtime::struct_decoder! {\n    Pair {}\n}\n"
        );
    }
}
