//! What a registered expectation is ([`Plan`]: method, path template, one
//! matcher per condition, how many times; [`Registered`]: the plan with its
//! answer and its hits), how a request is compared with it, and how it
//! describes itself in `verify`'s messages and the 501's body.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::received::PathTemplate;
use super::respond::Reply;
use super::Received;

/// Where a parameter goes, for the typed setters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // Which places a crate uses depends on its parameters.
pub(crate) enum Place {
    Query,
    Header,
    Cookie,
}

impl Place {
    pub(super) fn name(self) -> &'static str {
        match self {
            Place::Query => "query parameter",
            Place::Header => "header",
            Place::Cookie => "cookie",
        }
    }
}

pub(super) type Test =
    Box<dyn Fn(&Received, &[(String, String)]) -> Result<(), String> + Send + Sync>;

/// One condition of an expectation: what it looks at, what it wants, and the
/// test, which says what it found instead when the request fails it.
pub(super) struct Matcher {
    pub(super) what: String,
    pub(super) want: String,
    test: Test,
}

impl Matcher {
    pub(super) fn new(what: String, want: String, test: Test) -> Self {
        Matcher { what, want, test }
    }
}

/// How many requests an expectation should match by [`super::MockServer::verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Times {
    AtLeastOnce,
    Exactly(usize),
    Any,
}

/// What an expectation matches and how often.
pub(super) struct Plan {
    pub(super) label: String,
    pub(super) method: String,
    pub(super) template: PathTemplate,
    pub(super) matchers: Vec<Matcher>,
    pub(super) times: Times,
    pub(super) delay: Duration,
}

impl Plan {
    /// Every way `request` differs from the plan, empty when it matches.
    pub(super) fn differences(&self, request: &Received) -> Vec<String> {
        let mut found = Vec::new();
        if !request.method.eq_ignore_ascii_case(&self.method) {
            found.push(format!(
                "method: expected {}, got {}",
                self.method, request.method
            ));
        }
        let Some(captures) = self.template.capture(&request.path) else {
            found.push(format!(
                "path: expected {}, got {}",
                self.template.text, request.path
            ));
            return found;
        };
        for matcher in &self.matchers {
            if let Err(got) = (matcher.test)(request, &captures) {
                found.push(format!(
                    "{}: expected {}, got {got}",
                    matcher.what, matcher.want
                ));
            }
        }
        found
    }

    /// `chats.retrieve (GET /v1/chats/{chatID}; path parameter `chatID` = ...)`.
    pub(super) fn describe(&self) -> String {
        let mut conditions: Vec<String> = self
            .matchers
            .iter()
            .map(|m| format!("{} = {}", m.what, m.want))
            .collect();
        conditions.insert(0, format!("{} {}", self.method, self.template.text));
        format!("`{}` ({})", self.label, conditions.join("; "))
    }
}

/// A registered expectation: its plan, its answer and what it matched.
pub(super) struct Registered {
    pub(super) plan: Plan,
    pub(super) reply: Reply,
    pub(super) hits: AtomicUsize,
    pub(super) received: Mutex<Vec<Received>>,
}

impl Registered {
    /// Whether another request may still match (`times(n)` caps it at `n`).
    pub(super) fn has_room(&self) -> bool {
        match self.plan.times {
            Times::Exactly(n) => self.hits.load(Ordering::SeqCst) < n,
            Times::AtLeastOnce | Times::Any => true,
        }
    }

    /// Why the expectation is not met, or `None` when it is.
    pub(super) fn unmet(&self) -> Option<String> {
        let hits = self.hits.load(Ordering::SeqCst);
        let wanted = match self.plan.times {
            Times::Exactly(n) if hits != n => format!("exactly {}", count(n)),
            Times::AtLeastOnce if hits == 0 => "at least once".to_owned(),
            _ => return None,
        };
        Some(format!(
            "{} was expected {wanted} and matched {}",
            self.plan.describe(),
            count(hits)
        ))
    }
}

fn count(n: usize) -> String {
    match n {
        1 => "1 request".to_owned(),
        n => format!("{n} requests"),
    }
}

/// Locks `mutex`, also after a test's predicate panicked while it was held.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
