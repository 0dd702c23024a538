//! SHIM-UNTIL-MERGE
use serde::{Deserialize, Serialize};
use ts_rs::TS;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScanFormat {
    Png,
    Jpeg,
    Pdf,
}
pub fn detect(_bytes: &[u8]) -> crate::Result<ScanFormat> {
    Ok(ScanFormat::Png)
}
pub fn qr_texts(_bytes: &[u8]) -> crate::Result<Vec<String>> {
    Ok(vec![])
}
