//! Finds cursor-paginated operations, for the `lower` phase: a `cursor` query
//! parameter and a success response shaped like a cursor page (`items`,
//! `hasMore`, `oldestCursor`, optionally `newestCursor` and a `direction`
//! parameter). Such operations get page and item streams in the generated client.
//!
//! Detection is by shape, the convention of the Beeper API and of the official
//! SDKs' generator; `x-rust-pagination: false` on an operation turns it off.

use super::Lowerer;
use crate::ir::{Field, PageField, Pagination, Param, ParamLocation, Response, TypeKind, TypeRef};

impl Lowerer<'_> {
    /// The pagination of an operation, if its parameters and response have the shape.
    pub(super) fn detect_pagination(
        &self,
        operation: &openapiv3::Operation,
        params: &[Param],
        response: &Response,
    ) -> Option<Pagination> {
        if operation
            .extensions
            .get("x-rust-pagination")
            .and_then(|v| v.as_bool())
            == Some(false)
        {
            return None;
        }
        let query = |wire: &str| {
            params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.wire == wire && !p.required)
        };
        let cursor = query("cursor").filter(|p| p.ty == TypeRef::String)?;
        let Response::Json(TypeRef::Named(page)) = response else {
            return None;
        };
        let Some(TypeKind::Struct(crate::ir::StructType { fields, .. })) = &self.types[page.0].kind
        else {
            return None;
        };
        let field = |wire: &str, accept: fn(&TypeRef) -> bool| {
            fields
                .iter()
                .find(|f| f.wire == wire && accept(&f.ty))
                .map(page_field)
        };
        let items = fields.iter().find(|f| f.wire == "items")?;
        let TypeRef::Array(item) = &items.ty else {
            return None;
        };
        Some(Pagination {
            page: *page,
            item: (**item).clone(),
            cursor_param: cursor.rust.clone(),
            direction_param: query("direction").map(|p| p.rust.clone()),
            items_field: page_field(items),
            has_more_field: field("hasMore", |t| *t == TypeRef::Boolean)?,
            oldest_field: field("oldestCursor", |t| *t == TypeRef::String)?,
            newest_field: field("newestCursor", |t| *t == TypeRef::String),
        })
    }
}

fn page_field(field: &Field) -> PageField {
    PageField {
        rust: field.rust.clone(),
        optional: field.is_optional(),
    }
}
