//! Behaviour tests (being written).
