use crate::{Access, Area, RoleSet, Section};

/// One visible entry of the main menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuItem {
    pub area: Area,
    /// `Read` or `ReadWrite`; `Read` items carry a "read only" mark.
    pub access: Access,
}

/// A section of the main menu with the areas of it that may be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuSection {
    pub section: Section,
    pub items: Vec<MenuItem>,
}

/// The main menu for a role set: every section that has at least one area the roles can
/// read, each with exactly those areas, in menu order. Empty for the empty role set.
pub fn visible_menu(roles: RoleSet) -> Vec<MenuSection> {
    let mut menu: Vec<MenuSection> = Vec::with_capacity(Section::ALL.len());
    for (area, access) in roles.visible_areas() {
        let item = MenuItem { area, access };
        match menu.last_mut() {
            Some(last) if last.section == area.section() => last.items.push(item),
            _ => menu.push(MenuSection { section: area.section(), items: vec![item] }),
        }
    }
    menu
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn a_user_without_roles_sees_no_menu_item() {
        assert!(visible_menu(RoleSet::EMPTY).is_empty());
    }

    #[test]
    fn an_administrator_sees_every_area_in_every_section() {
        let menu = visible_menu(RoleSet::single(Role::Admin));
        let sections: Vec<Section> = menu.iter().map(|s| s.section).collect();
        assert_eq!(sections, Section::ALL);
        let count: usize = menu.iter().map(|s| s.items.len()).sum();
        assert_eq!(count, Area::COUNT);
    }

    #[test]
    fn templates_sees_pdf_templates_writable_and_user_accounts_not_at_all() {
        let menu = visible_menu(RoleSet::single(Role::Templates));
        let items: Vec<MenuItem> = menu.iter().flat_map(|s| s.items.clone()).collect();
        assert!(items.contains(&MenuItem { area: Area::PdfTemplates, access: Access::ReadWrite }));
        assert!(items.contains(&MenuItem { area: Area::Company, access: Access::Read }));
        assert!(!items.iter().any(|i| i.area == Area::UserAccounts));
        assert!(!menu.iter().any(|s| s.items.is_empty()));
    }
}
