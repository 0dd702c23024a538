//! The one error type of the core and its wire form `{code, message, field, rule, params, issues}`.
//! The UI picks its text by `code` + `field` + `rule`; `message` is English for developers and logs.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::users::Role;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closed set of error codes the UI knows how to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    /// Nobody approves their own request.
    SelfApproval,
    InvalidTransition,
    Unauthenticated,
    InvalidCredentials,
    AlreadySetUp,
    NotSetUp,
    SchemaTooNew,
    Storage,
    Io,
}

/// Why a field was refused. A closed set so that every rule has a translated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Rule {
    Required,
    /// A file over a size limit; params `limit` (`bytes`, `pixels`, `pages`) and `max`.
    TooLarge,
    TooLong,
    TooShort,
    InvalidPhone,
    InvalidSiteCode,
    InvalidUsername,
    InvalidSerial,
    InvalidDate,
    FutureDate,
    BeforePurchase,
    Duplicate,
    OutOfRange,
    NeedPhone,
    UnknownTimeZone,
    UnknownReference,
    /// A file of an accepted format that cannot be read: truncated or corrupt.
    UnreadableFile,
    /// A file whose content is not one of the accepted formats (told by its bytes, not its name).
    UnsupportedFile,
    LastAdmin,
    /// A part line on a receipt without the customer's recorded consent to the replacement.
    ConsentMissing,
    /// The return or exchange term has run out (params: `until`, `days`).
    TermExpired,
    /// Return/exchange terms run from the purchase date, which is not on record.
    PurchaseDateUnknown,
    /// The QR code on an attached scan is not this document's number (params: `expected`, `found`).
    ScanMismatch,
    InvalidTime,
    EndBeforeStart,
    /// The user is not an active technician.
    NotTechnician,
    ReceiptMissing,
    ReceiptUnsigned,
    /// The work record changed after the receipt was issued: issue it again first.
    ReceiptOutdated,
    /// The recorded acceptance result does not allow this step.
    ResultMismatch,
    SignatureEmpty,
    AlreadyVoid,
    /// More than the location holds (params: `available`, `requested`, `part`).
    InsufficientStock,
    /// A serial-tracked part moves with one serial per unit (params: `expected`).
    SerialCount,
    /// The serial is not in stock here, or is already in stock (params: `serial`).
    SerialUnavailable,
    /// The part has stock: this change would no longer match it.
    StockNotEmpty,
    /// The work order is closed: nothing more is done on it.
    WorkOrderClosed,
    /// Two steps of one approval chain need two people: whoever reviewed a request does not
    /// also give its final approval (params: `step`).
    SameApprover,
    /// A complaint closes only with the customer's reaction to the solution on record (闭环).
    FeedbackMissing,
    /// A file's content does not match its checksum: damaged or tampered with.
    ChecksumMismatch,
    /// A file of a format version this build does not read (params: `found`, `supported`).
    UnsupportedVersion,
    /// A bundle from a site outside this site's network (params: `site`, `name`).
    SiteNotInNetwork,
    /// This site's own code or bundle where another site's is needed.
    OwnSite,
    /// A file written by a newer version of the app (params: `found`, `supported`).
    NewerVersion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldIssue {
    /// The input's camelCase field path, with list indexes: `contacts.0.phone`.
    pub field: String,
    pub rule: Rule,
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, rule: Rule) -> Self {
        FieldIssue {
            field: field.into(),
            rule,
            params: BTreeMap::new(),
        }
    }
    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {}", describe(.0))]
    Validation(Vec<FieldIssue>),
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("{entity} {id} was changed by someone else since revision {expected}")]
    Conflict {
        entity: &'static str,
        id: String,
        expected: i64,
    },
    #[error("the role {role:?} may not {action}")]
    Forbidden { role: Role, action: &'static str },
    #[error("nobody approves their own {what}")]
    SelfApproval { what: &'static str },
    #[error("a work order in state {from} cannot {event}")]
    InvalidTransition {
        from: &'static str,
        event: &'static str,
    },
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("this site is already set up")]
    AlreadySetUp,
    #[error("this site is not set up yet")]
    NotSetUp,
    #[error("the database was written by a newer version of the app (schema {found}; this version knows up to {supported}); it was left untouched")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("database error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// Stored data that should have been written by this app could not be read back.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// A form could not be drawn (a number too long for a QR code, totals that do not add up).
    /// Reported to the UI as `storage`: like a failed write, the paper was not produced and
    /// the user can only retry or report it, so it needs no text of its own.
    #[error("the form could not be rendered: {0}")]
    Render(String),
}

fn describe(issues: &[FieldIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{} {:?}", i.field, i.rule))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: Rule) -> Self {
        Error::Validation(vec![FieldIssue::new(field, rule)])
    }

    /// The same error with its fields named inside `prefix` (`newCustomer.contacts.0.phone`):
    /// a nested input's errors point at the nested fields.
    pub(crate) fn prefixed(self, prefix: &str) -> Self {
        match self {
            Error::Validation(issues) => Error::Validation(
                issues
                    .into_iter()
                    .map(|mut i| {
                        i.field = format!("{prefix}.{}", i.field);
                        i
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::SelfApproval { .. } => ErrorCode::SelfApproval,
            Error::Unauthenticated => ErrorCode::Unauthenticated,
            Error::InvalidCredentials => ErrorCode::InvalidCredentials,
            Error::AlreadySetUp => ErrorCode::AlreadySetUp,
            Error::NotSetUp => ErrorCode::NotSetUp,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Storage(_) | Error::Migration(_) | Error::Corrupt(_) | Error::Render(_) => {
                ErrorCode::Storage
            }
            Error::Io(_) => ErrorCode::Io,
        }
    }

    /// The first issue of a validation error (the field the UI focuses).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation(issues) => issues.first().map(|i| i.field.as_str()),
            _ => None,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        let mut params = BTreeMap::new();
        let mut issues = Vec::new();
        let mut rule = None;
        match self {
            Error::Validation(list) => {
                issues = list.clone();
                if let Some(first) = list.first() {
                    rule = Some(first.rule);
                    params = first.params.clone();
                }
            }
            Error::NotFound { entity, id } | Error::Conflict { entity, id, .. } => {
                params.insert("entity".into(), (*entity).into());
                params.insert("id".into(), id.clone());
            }
            Error::Forbidden { role, action } => {
                params.insert("role".into(), role.as_str().into());
                params.insert("action".into(), (*action).into());
            }
            Error::SelfApproval { what } => {
                params.insert("what".into(), (*what).into());
            }
            Error::InvalidTransition { from, event } => {
                params.insert("from".into(), (*from).into());
                params.insert("event".into(), (*event).into());
            }
            Error::SchemaTooNew { found, supported } => {
                params.insert("found".into(), found.to_string());
                params.insert("supported".into(), supported.to_string());
            }
            _ => {}
        }
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
            rule,
            params,
            issues,
        }
    }
}

/// What crosses the IPC boundary.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub rule: Option<Rule>,
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
    pub issues: Vec<FieldIssue>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}
