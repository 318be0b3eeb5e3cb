//! Scripted HTTP test server (being written).
