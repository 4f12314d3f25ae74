use std::fmt;

use serde::{Deserialize, Serialize};

/// A group of areas in the main menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Settings,
    Dashboard,
    Products,
    CustomersAndContracts,
    OutboxAndDocuments,
    Logs,
    Finance,
}

impl Section {
    /// All sections, in menu order.
    pub const ALL: [Section; 7] = [
        Section::Settings,
        Section::Dashboard,
        Section::Products,
        Section::CustomersAndContracts,
        Section::OutboxAndDocuments,
        Section::Logs,
        Section::Finance,
    ];

    /// The stable key.
    pub const fn key(self) -> &'static str {
        match self {
            Section::Settings => "settings",
            Section::Dashboard => "dashboard",
            Section::Products => "products",
            Section::CustomersAndContracts => "customers_and_contracts",
            Section::OutboxAndDocuments => "outbox_and_documents",
            Section::Logs => "logs",
            Section::Finance => "finance",
        }
    }

    /// The heading people see.
    pub const fn label(self) -> &'static str {
        match self {
            Section::Settings => "Settings",
            Section::Dashboard => "Dashboard",
            Section::Products => "Products",
            Section::CustomersAndContracts => "Customers and Contracts",
            Section::OutboxAndDocuments => "Outbox and Documents",
            Section::Logs => "Logs",
            Section::Finance => "Finance",
        }
    }

    /// The section with this key, if any.
    pub fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|section| section.key() == key)
    }

    /// The URL path segment of this section: its key with dashes.
    pub fn slug(self) -> String {
        self.key().replace('_', "-")
    }

    /// The areas of this section, in menu order.
    pub fn areas(self) -> impl Iterator<Item = Area> + Clone {
        Area::ALL.into_iter().filter(move |area| area.section() == self)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One area of the billing platform that rights are granted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Company,
    SalesEntities,
    UserAccounts,
    PaymentSettings,
    PaymentEscalation,
    Taxes,
    Billing,
    GeneralDocumentSettings,
    Sequences,
    PdfTemplates,
    Accounts,
    DebitorIds,
    ExportSettings,
    CustomFields,
    Webhooks,
    SelfService,
    KpiCharts,
    LogLists,
    Products,
    CustomersAndContracts,
    OutboxAndDocuments,
    AuditLog,
    OtherLogs,
    AccountReconciliation,
    AccountingExport,
    Reporting,
    HandlingFees,
}

impl Area {
    /// Number of areas.
    pub const COUNT: usize = 27;

    /// All areas, in menu order (sections in [`Section::ALL`] order).
    pub const ALL: [Area; Area::COUNT] = [
        Area::Company,
        Area::SalesEntities,
        Area::UserAccounts,
        Area::PaymentSettings,
        Area::PaymentEscalation,
        Area::Taxes,
        Area::Billing,
        Area::GeneralDocumentSettings,
        Area::Sequences,
        Area::PdfTemplates,
        Area::Accounts,
        Area::DebitorIds,
        Area::ExportSettings,
        Area::CustomFields,
        Area::Webhooks,
        Area::SelfService,
        Area::KpiCharts,
        Area::LogLists,
        Area::Products,
        Area::CustomersAndContracts,
        Area::OutboxAndDocuments,
        Area::AuditLog,
        Area::OtherLogs,
        Area::AccountReconciliation,
        Area::AccountingExport,
        Area::Reporting,
        Area::HandlingFees,
    ];

    /// The stable key used on the wire, in routes and in the database.
    pub const fn key(self) -> &'static str {
        match self {
            Area::Company => "company",
            Area::SalesEntities => "sales_entities",
            Area::UserAccounts => "user_accounts",
            Area::PaymentSettings => "payment_settings",
            Area::PaymentEscalation => "payment_escalation",
            Area::Taxes => "taxes",
            Area::Billing => "billing",
            Area::GeneralDocumentSettings => "general_document_settings",
            Area::Sequences => "sequences",
            Area::PdfTemplates => "pdf_templates",
            Area::Accounts => "accounts",
            Area::DebitorIds => "debitor_ids",
            Area::ExportSettings => "export_settings",
            Area::CustomFields => "custom_fields",
            Area::Webhooks => "webhooks",
            Area::SelfService => "self_service",
            Area::KpiCharts => "kpi_charts",
            Area::LogLists => "log_lists",
            Area::Products => "products",
            Area::CustomersAndContracts => "customers_and_contracts",
            Area::OutboxAndDocuments => "outbox_and_documents",
            Area::AuditLog => "audit_log",
            Area::OtherLogs => "other_logs",
            Area::AccountReconciliation => "account_reconciliation",
            Area::AccountingExport => "accounting_export",
            Area::Reporting => "reporting",
            Area::HandlingFees => "handling_fees",
        }
    }

    /// The name people see.
    pub const fn label(self) -> &'static str {
        match self {
            Area::Company => "Company",
            Area::SalesEntities => "Sales Entities",
            Area::UserAccounts => "User Accounts",
            Area::PaymentSettings => "Payment Settings",
            Area::PaymentEscalation => "Payment Escalation",
            Area::Taxes => "Taxes",
            Area::Billing => "Billing",
            Area::GeneralDocumentSettings => "General Document Settings",
            Area::Sequences => "Sequences",
            Area::PdfTemplates => "PDF-Templates",
            Area::Accounts => "Accounts",
            Area::DebitorIds => "Debitor Ids",
            Area::ExportSettings => "Export Settings",
            Area::CustomFields => "Custom fields",
            Area::Webhooks => "Webhooks",
            Area::SelfService => "Self-Service",
            Area::KpiCharts => "KPI Charts",
            Area::LogLists => "Log lists",
            Area::Products => "Products",
            Area::CustomersAndContracts => "Customers and Contracts",
            Area::OutboxAndDocuments => "Outbox and Documents",
            Area::AuditLog => "Audit log",
            Area::OtherLogs => "Other logs",
            Area::AccountReconciliation => "Account Reconciliation",
            Area::AccountingExport => "Accounting Export",
            Area::Reporting => "Reporting",
            Area::HandlingFees => "Handling Fees",
        }
    }

    /// The section this area belongs to.
    pub const fn section(self) -> Section {
        match self {
            Area::Company => Section::Settings,
            Area::SalesEntities => Section::Settings,
            Area::UserAccounts => Section::Settings,
            Area::PaymentSettings => Section::Settings,
            Area::PaymentEscalation => Section::Settings,
            Area::Taxes => Section::Settings,
            Area::Billing => Section::Settings,
            Area::GeneralDocumentSettings => Section::Settings,
            Area::Sequences => Section::Settings,
            Area::PdfTemplates => Section::Settings,
            Area::Accounts => Section::Settings,
            Area::DebitorIds => Section::Settings,
            Area::ExportSettings => Section::Settings,
            Area::CustomFields => Section::Settings,
            Area::Webhooks => Section::Settings,
            Area::SelfService => Section::Settings,
            Area::KpiCharts => Section::Dashboard,
            Area::LogLists => Section::Dashboard,
            Area::Products => Section::Products,
            Area::CustomersAndContracts => Section::CustomersAndContracts,
            Area::OutboxAndDocuments => Section::OutboxAndDocuments,
            Area::AuditLog => Section::Logs,
            Area::OtherLogs => Section::Logs,
            Area::AccountReconciliation => Section::Finance,
            Area::AccountingExport => Section::Finance,
            Area::Reporting => Section::Finance,
            Area::HandlingFees => Section::Finance,
        }
    }

    /// The area with this key, if any.
    pub fn from_key(key: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| area.key() == key)
    }

    /// Position in [`Area::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The URL path segment of this area: its key with dashes (`user_accounts` → `user-accounts`).
    pub fn slug(self) -> String {
        self.key().replace('_', "-")
    }

    /// The area whose [`Area::slug`] this is, if any.
    pub fn from_slug(slug: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|area| area.slug() == slug)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_listed_section_by_section_in_menu_order() {
        let mut sections: Vec<Section> = Area::ALL.iter().map(|a| a.section()).collect();
        sections.dedup();
        assert_eq!(sections, Section::ALL);
    }

    #[test]
    fn indexes_match_positions() {
        for (i, area) in Area::ALL.into_iter().enumerate() {
            assert_eq!(area.index(), i);
        }
    }

    #[test]
    fn keys_and_slugs_round_trip() {
        for area in Area::ALL {
            assert_eq!(Area::from_key(area.key()), Some(area));
            assert_eq!(Area::from_slug(&area.slug()), Some(area));
            assert_eq!(serde_json::to_string(&area).unwrap(), format!("\"{}\"", area.key()));
        }
        for section in Section::ALL {
            assert_eq!(Section::from_key(section.key()), Some(section));
        }
    }
}
