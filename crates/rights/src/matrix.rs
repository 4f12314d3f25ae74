use crate::{Access, Area, Role};

const N: Access = Access::None;
const R: Access = Access::Read;
const W: Access = Access::ReadWrite;

/// The rights matrix: one row per area (in [`Area::ALL`] order), one column per role (in
/// [`Role::ALL`] order). Transcribed from `data/rights-matrix.csv`; the tests compare the two
/// cell by cell.
#[rustfmt::skip]
pub(crate) const MATRIX: [[Access; 7]; Area::COUNT] = [
    //  admin products operations finance read_only_operations reports templates
    [W, R, R, R, R, R, R], // company
    [W, R, R, R, R, R, R], // sales_entities
    [W, N, N, N, N, N, N], // user_accounts
    [W, N, N, N, N, N, N], // payment_settings
    [W, N, N, N, N, N, N], // payment_escalation
    [W, R, R, W, R, R, R], // taxes
    [W, R, R, R, R, R, R], // billing
    [W, R, R, R, R, R, R], // general_document_settings
    [W, R, R, R, R, R, R], // sequences
    [W, R, R, R, R, R, W], // pdf_templates
    [W, R, R, W, R, R, R], // accounts
    [W, R, R, W, R, R, R], // debitor_ids
    [W, R, R, W, R, R, R], // export_settings
    [W, R, R, R, R, R, R], // custom_fields
    [W, N, N, N, N, N, N], // webhooks
    [W, R, R, R, R, R, W], // self_service
    [R, N, N, N, N, R, N], // kpi_charts
    [R, N, R, N, R, N, N], // log_lists
    [W, W, R, R, R, R, N], // products
    [W, N, W, R, R, R, N], // customers_and_contracts
    [W, N, W, W, R, N, N], // outbox_and_documents
    [R, N, N, N, N, N, N], // audit_log
    [R, N, R, N, R, N, N], // other_logs
    [W, N, W, W, R, N, N], // account_reconciliation
    [R, N, N, R, N, N, N], // accounting_export
    [R, N, N, R, N, R, N], // reporting
    [W, N, W, N, R, N, N], // handling_fees
];

/// What one role grants over one area.
pub const fn role_access(role: Role, area: Area) -> Access {
    MATRIX[area.index()][role.index()]
}
