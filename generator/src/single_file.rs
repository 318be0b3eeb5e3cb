//! The generated crate as one Rust file, for a build script to write into
//! `OUT_DIR` and a crate to `include!` at its root ([`crate::build`]). It runs
//! after generation, on the files in memory.
//!
//! Two things make a crate's files differ from one includable file:
//! * `mod x;` finds `x.rs` on disk: each is replaced by `mod x { … }` with the
//!   file's items (its inner attributes move inside the braces). The root's own
//!   inner attributes are dropped: `include!` does not allow them.
//! * The crate's Cargo features do not exist in the including crate: every
//!   `cfg` is evaluated for the chosen features (with `test` off), items whose
//!   condition is false are removed, and conditions that are true disappear.
//!   Conditions on anything else (`docsrs`, a target) are kept, reduced.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Item, Meta, Token};

use crate::files::Files;

/// Why the files could not be joined (a bug of the generator, not of the spec).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot make one file of the generated crate: {file}: {message}")]
pub struct JoinError {
    /// The file at fault.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// The crate in `files` as one file, with `features` on.
pub fn join(files: &Files, features: &BTreeSet<String>) -> Result<String, JoinError> {
    let mut root = parse(files, "src/lib.rs")?;
    root.attrs
        .retain(|a| !matches!(a.style, syn::AttrStyle::Inner(_)));
    inline_modules(files, "src/lib.rs", &mut root.items)?;
    Evaluator { features }.visit_file_mut(&mut root);
    Ok(prettyplease::unparse(&root))
}

fn parse(files: &Files, path: &str) -> Result<syn::File, JoinError> {
    let text = files.get(path).ok_or_else(|| JoinError {
        file: path.to_owned(),
        message: "the file is not among the generated ones".to_owned(),
    })?;
    syn::parse_file(text).map_err(|e| JoinError {
        file: path.to_owned(),
        message: e.to_string(),
    })
}

/// Replaces each `mod x;` of the file at `path` by the module's items, recursively.
fn inline_modules(files: &Files, path: &str, items: &mut [Item]) -> Result<(), JoinError> {
    let folder = module_folder(path);
    for item in items {
        let Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let candidates = [
            format!("{folder}{name}.rs"),
            format!("{folder}{name}/mod.rs"),
        ];
        let Some(child) = candidates.iter().find(|c| files.contains_key(*c)) else {
            return Err(JoinError {
                file: path.to_owned(),
                message: format!("no file for `mod {name};`"),
            });
        };
        let mut file = parse(files, child)?;
        inline_modules(files, child, &mut file.items)?;
        module.attrs.extend(file.attrs);
        module.content = Some((Default::default(), file.items));
        module.semi = None;
    }
    Ok(())
}

/// Where the children of the module in `path` live: beside `lib.rs` and
/// `mod.rs`, else in the folder named after the file.
fn module_folder(path: &str) -> String {
    let (parent, file) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}/")
    };
    match file {
        "lib.rs" | "mod.rs" => parent,
        other => format!("{parent}{}/", other.trim_end_matches(".rs")),
    }
}

/// A `cfg` condition, partly evaluated.
enum Truth {
    True,
    False,
    /// Depends on something other than features; what is left of it.
    Open(TokenStream),
}

struct Evaluator<'a> {
    features: &'a BTreeSet<String>,
}

impl Evaluator<'_> {
    fn predicate(&self, meta: &Meta) -> Truth {
        match meta {
            Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) => truth(self.features.contains(&name.value())),
                _ => Truth::Open(quote!(#meta)),
            },
            Meta::Path(path) if path.is_ident("test") => Truth::False,
            Meta::List(list) if list.path.is_ident("not") => {
                match self.arguments(list).as_slice() {
                    [one] => match self.predicate(one) {
                        Truth::True => Truth::False,
                        Truth::False => Truth::True,
                        Truth::Open(rest) => Truth::Open(quote!(not(#rest))),
                    },
                    _ => Truth::Open(quote!(#meta)),
                }
            }
            Meta::List(list) if list.path.is_ident("all") || list.path.is_ident("any") => {
                let all = list.path.is_ident("all");
                let mut open = Vec::new();
                for argument in self.arguments(list) {
                    match self.predicate(&argument) {
                        Truth::True if !all => return Truth::True,
                        Truth::False if all => return Truth::False,
                        Truth::Open(rest) => open.push(rest),
                        _ => {}
                    }
                }
                match (open.len(), all) {
                    (0, all) => truth(all),
                    (1, _) => Truth::Open(open.remove(0)),
                    (_, true) => Truth::Open(quote!(all(#(#open),*))),
                    (_, false) => Truth::Open(quote!(any(#(#open),*))),
                }
            }
            other => Truth::Open(quote!(#other)),
        }
    }

    fn arguments(&self, list: &syn::MetaList) -> Vec<Meta> {
        list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map(|p| p.into_iter().collect())
            .unwrap_or_default()
    }

    /// Whether the element with `attrs` stays; its `cfg`s and `cfg_attr`s are
    /// rewritten for the features.
    fn keeps(&self, attrs: &mut Vec<Attribute>) -> bool {
        let mut keep = true;
        let mut rewritten = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            if attr.path().is_ident("cfg") {
                let Ok(meta) = attr.parse_args::<Meta>() else {
                    rewritten.push(attr);
                    continue;
                };
                match self.predicate(&meta) {
                    Truth::True => {}
                    Truth::False => keep = false,
                    Truth::Open(rest) => rewritten.push(syn::parse_quote!(#[cfg(#rest)])),
                }
            } else if attr.path().is_ident("cfg_attr") {
                rewritten.extend(self.cfg_attr(attr));
            } else {
                rewritten.push(attr);
            }
        }
        *attrs = rewritten;
        keep
    }

    /// `#[cfg_attr(condition, attrs…)]`: the attributes, nothing, or the
    /// attribute with its condition reduced.
    fn cfg_attr(&self, attr: Attribute) -> Vec<Attribute> {
        let Ok(parts) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        else {
            return vec![attr];
        };
        let mut parts = parts.into_iter();
        let Some(condition) = parts.next() else {
            return vec![attr];
        };
        let rest: Vec<Meta> = parts.collect();
        match self.predicate(&condition) {
            Truth::True => rest.into_iter().map(|m| syn::parse_quote!(#[#m])).collect(),
            Truth::False => Vec::new(),
            Truth::Open(condition) => vec![syn::parse_quote!(#[cfg_attr(#condition, #(#rest),*)])],
        }
    }
}

fn truth(value: bool) -> Truth {
    if value {
        Truth::True
    } else {
        Truth::False
    }
}

/// Removes what the features turn off wherever attributes can stand.
impl VisitMut for Evaluator<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items
            .retain_mut(|item| item_attrs(item).is_none_or(|a| self.keeps(a)));
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain_mut(|item| item_attrs(item).is_none_or(|a| self.keeps(a)));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items.retain_mut(|member| match member {
            syn::ImplItem::Const(c) => self.keeps(&mut c.attrs),
            syn::ImplItem::Fn(f) => self.keeps(&mut f.attrs),
            syn::ImplItem::Type(t) => self.keeps(&mut t.attrs),
            syn::ImplItem::Macro(m) => self.keeps(&mut m.attrs),
            _ => true,
        });
        visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_item_trait_mut(&mut self, item: &mut syn::ItemTrait) {
        item.items.retain_mut(|member| match member {
            syn::TraitItem::Const(c) => self.keeps(&mut c.attrs),
            syn::TraitItem::Fn(f) => self.keeps(&mut f.attrs),
            syn::TraitItem::Type(t) => self.keeps(&mut t.attrs),
            syn::TraitItem::Macro(m) => self.keeps(&mut m.attrs),
            _ => true,
        });
        visit_mut::visit_item_trait_mut(self, item);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        fields.named = retain_punctuated(std::mem::take(&mut fields.named), |f| {
            self.keeps(&mut f.attrs)
        });
        visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_fields_unnamed_mut(&mut self, fields: &mut syn::FieldsUnnamed) {
        fields.unnamed = retain_punctuated(std::mem::take(&mut fields.unnamed), |f| {
            self.keeps(&mut f.attrs)
        });
        visit_mut::visit_fields_unnamed_mut(self, fields);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        item.variants = retain_punctuated(std::mem::take(&mut item.variants), |v| {
            self.keeps(&mut v.attrs)
        });
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms.retain_mut(|arm| self.keeps(&mut arm.attrs));
        visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        expr.fields = retain_punctuated(std::mem::take(&mut expr.fields), |f| {
            self.keeps(&mut f.attrs)
        });
        visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|stmt| match stmt {
            syn::Stmt::Local(local) => self.keeps(&mut local.attrs),
            syn::Stmt::Item(item) => item_attrs(item).is_none_or(|a| self.keeps(a)),
            syn::Stmt::Expr(expr, _) => expr_attrs(expr).is_none_or(|attrs| self.keeps(attrs)),
            syn::Stmt::Macro(mac) => self.keeps(&mut mac.attrs),
        });
        unwrap_lone_block(block);
        visit_mut::visit_block_mut(self, block);
    }
}

/// A block left holding only a plain inner block (the one branch of a
/// `#[cfg(…)] { … } #[cfg(not(…))] { … }` pair that stays) takes that
/// block's statements, which rustc would otherwise flag as needless braces.
fn unwrap_lone_block(block: &mut syn::Block) {
    while let [syn::Stmt::Expr(syn::Expr::Block(inner), None)] = block.stmts.as_mut_slice() {
        if !inner.attrs.is_empty() || inner.label.is_some() {
            return;
        }
        block.stmts = std::mem::take(&mut inner.block.stmts);
    }
}

fn retain_punctuated<T, P: Default>(
    items: Punctuated<T, P>,
    mut keep: impl FnMut(&mut T) -> bool,
) -> Punctuated<T, P> {
    let mut kept = Punctuated::new();
    for mut item in items {
        if keep(&mut item) {
            kept.push(item);
        }
    }
    kept
}

/// The attributes of any item (`None` for verbatim items, which have none parsed).
fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of the expression kinds that carry a `cfg` in practice.
fn expr_attrs(expr: &mut syn::Expr) -> Option<&mut Vec<Attribute>> {
    match expr {
        syn::Expr::Block(e) => Some(&mut e.attrs),
        syn::Expr::Call(e) => Some(&mut e.attrs),
        syn::Expr::If(e) => Some(&mut e.attrs),
        syn::Expr::Macro(e) => Some(&mut e.attrs),
        syn::Expr::MethodCall(e) => Some(&mut e.attrs),
        syn::Expr::Path(e) => Some(&mut e.attrs),
        syn::Expr::Match(e) => Some(&mut e.attrs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    fn on(features: &[&str]) -> BTreeSet<String> {
        features.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn modules_are_inlined_with_their_inner_attributes() {
        let crate_files = files(&[
            (
                "src/lib.rs",
                "#![deny(missing_docs)]\n//! Root docs.\npub mod types;\nmod runtime;\n",
            ),
            (
                "src/types/mod.rs",
                "//! Types.\npub mod chats;\npub struct A;\n",
            ),
            ("src/types/chats.rs", "pub struct Chat;\n"),
            ("src/runtime/mod.rs", "mod client;\n"),
            ("src/runtime/client.rs", "pub(crate) struct Client;\n"),
        ]);
        let joined = join(&crate_files, &on(&[])).expect("joins");
        let expected = "pub mod types {\n    //! Types.\n    pub mod chats {\n        pub struct Chat;\n    }\n    pub struct A;\n}\nmod runtime {\n    mod client {\n        pub(crate) struct Client;\n    }\n}\n";
        assert_eq!(joined, expected);
    }

    #[test]
    fn features_decide_what_stays() {
        let source = r#"
#[cfg(feature = "chats")]
pub struct Chats;
#[cfg(feature = "other")]
pub struct Other;
#[cfg(not(feature = "other"))]
pub struct NotOther;
#[cfg(any(feature = "other", feature = "chats"))]
pub struct Either;
#[cfg(all(feature = "chats", docsrs))]
pub struct Docs;
#[cfg(test)]
mod tests {}
pub struct Fields {
    #[cfg(feature = "chats")]
    pub typed: u8,
    #[cfg(not(feature = "chats"))]
    pub raw: u8,
}
#[cfg_attr(not(feature = "other"), allow(unused_variables))]
pub fn f() {
    #[cfg(feature = "other")]
    let x = 1;
    match 1 {
        #[cfg(feature = "other")]
        1 => {}
        _ => {}
    }
}
pub fn g() -> u8 {
    #[cfg(feature = "other")]
    {
        1
    }
    #[cfg(not(feature = "other"))]
    {
        2
    }
}
"#;
        let joined = join(&files(&[("src/lib.rs", source)]), &on(&["chats"])).expect("joins");
        let expected = r#"pub struct Chats;
pub struct NotOther;
pub struct Either;
#[cfg(docsrs)]
pub struct Docs;
pub struct Fields {
    pub typed: u8,
}
#[allow(unused_variables)]
pub fn f() {
    match 1 {
        _ => {}
    }
}
pub fn g() -> u8 {
    2
}
"#;
        assert_eq!(joined, expected);
    }

    #[test]
    fn a_missing_module_file_is_an_error() {
        let error = join(&files(&[("src/lib.rs", "mod gone;\n")]), &on(&[])).expect_err("fails");
        assert_eq!(error.message, "no file for `mod gone;`");
    }
}
