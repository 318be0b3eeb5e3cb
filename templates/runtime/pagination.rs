//! Cursor pagination as `futures` streams, backwards (older items, through each
//! page's oldest cursor) or forwards (newer items, through the newest cursor with
//! `direction=after`), for every operation whose response has the cursor page shape.
//!
//! A stream ends when the server says there is no more, when a page is empty, when
//! the next cursor is missing, or when a cursor repeats, so it can never loop.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

/// A boxed stream of results, what the pagination methods return. `E` is the
/// crate's `Error`, or for an operation with error bodies of its own, its error.
pub type PageStream<T, E = crate::Error> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send>>;

/// A page of a cursor-paginated list.
pub trait CursorPage {
    /// What the page lists.
    type Item;

    /// The items of this page.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, by value.
    fn into_items(self) -> Vec<Self::Item>;

    /// Whether the server has more items in the direction that was asked for.
    fn has_more(&self) -> bool;

    /// The cursor that leads to older items.
    fn oldest_cursor(&self) -> Option<&str>;

    /// The cursor that leads to newer items.
    fn newest_cursor(&self) -> Option<&str>;
}

/// Which way a stream walks.
#[allow(dead_code)] // Pagination helpers are used only by specs with paginated operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Towards older items (`direction=before`, the oldest cursor).
    Older,
    /// Towards newer items (`direction=after`, the newest cursor).
    Newer,
}

#[allow(dead_code)]
impl Direction {
    /// The value of the `direction` query parameter.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Older => "before",
            Direction::Newer => "after",
        }
    }
}

/// A request builder of a cursor-paginated operation.
#[allow(dead_code)]
pub(crate) trait Paginated: Clone + Send + Sized + 'static {
    /// The response page.
    type Page: CursorPage + Send + 'static;

    /// What a failed request yields.
    type Error: Send + 'static;

    /// The cursor the request is set to, if any.
    fn cursor(&self) -> Option<&str>;

    /// Points the request at `cursor`, walking in `direction`; other parameters stay.
    fn set_cursor(&mut self, cursor: String, direction: Direction);

    /// Sends the request.
    fn fetch(self) -> impl Future<Output = Result<Self::Page, Self::Error>> + Send;
}

/// Every page from `first` on, walking in `direction`.
#[allow(dead_code)]
pub(crate) fn pages<R: Paginated>(
    mut first: R,
    direction: Direction,
) -> PageStream<R::Page, R::Error> {
    // A starting cursor is walked from in the stream's own direction: without
    // `direction=after` the server would return what lies before it.
    if let Some(cursor) = first.cursor().map(str::to_owned) {
        first.set_cursor(cursor, direction);
    }
    let seen: HashSet<String> = first.cursor().map(str::to_owned).into_iter().collect();
    let stream = stream::unfold((Some(first), seen), move |(next, mut seen)| async move {
        let request = next?;
        match request.clone().fetch().await {
            // The error ends the stream: the next state has no request.
            Err(error) => Some((Err(error), (None, seen))),
            Ok(page) => {
                let following = next_request(request, &page, direction, &mut seen);
                Some((Ok(page), (following, seen)))
            }
        }
    });
    Box::pin(stream)
}

/// Every item from `first` on, page after page, walking in `direction`.
#[allow(dead_code)]
pub(crate) fn items<R>(
    first: R,
    direction: Direction,
) -> PageStream<<R::Page as CursorPage>::Item, R::Error>
where
    R: Paginated,
    <R::Page as CursorPage>::Item: Send + 'static,
{
    let batches = pages(first, direction).map(|page| {
        let batch: Vec<Result<_, R::Error>> = match page {
            Ok(page) => page.into_items().into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(batch)
    });
    Box::pin(batches.flatten())
}

/// The request for the page after `page`, or `None` when the walk is over.
fn next_request<R: Paginated>(
    mut request: R,
    page: &R::Page,
    direction: Direction,
    seen: &mut HashSet<String>,
) -> Option<R> {
    if !page.has_more() || page.items().is_empty() {
        return None;
    }
    let cursor = match direction {
        Direction::Older => page.oldest_cursor(),
        Direction::Newer => page.newest_cursor(),
    };
    let cursor = cursor.filter(|c| !c.is_empty())?.to_owned();
    // A cursor seen before would fetch a page seen before, forever.
    if !seen.insert(cursor.clone()) {
        return None;
    }
    request.set_cursor(cursor, direction);
    Some(request)
}
