//! The encoded matrix is the spec's CSV, cell by cell.

use std::path::Path;

use useradmin_rights::{Access, Area, Role, Section, role_access};

const CRATE_CSV: &str = include_str!("../data/rights-matrix.csv");

struct Row<'a> {
    section: &'a str,
    key: &'a str,
    label: &'a str,
    cells: Vec<&'a str>,
}

fn rows(csv: &str) -> (Vec<&str>, Vec<Row<'_>>) {
    let mut lines = csv.lines().filter(|line| !line.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("a header line").split(',').collect();
    let rows = lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), header.len(), "row `{line}` has the wrong number of cells");
            Row { section: fields[0], key: fields[1], label: fields[2], cells: fields[3..].to_vec() }
        })
        .collect();
    (header, rows)
}

#[test]
fn the_role_columns_are_the_seven_role_keys_in_order() {
    let (header, _) = rows(CRATE_CSV);
    assert_eq!(&header[..3], ["section", "area_key", "area"]);
    let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
    assert_eq!(&header[3..], keys.as_slice());
}

#[test]
fn every_area_has_the_key_label_and_section_of_its_csv_row_in_the_same_order() {
    let (_, rows) = rows(CRATE_CSV);
    assert_eq!(rows.len(), Area::COUNT);
    assert_eq!(Area::COUNT, 27);
    for (area, row) in Area::ALL.into_iter().zip(&rows) {
        assert_eq!(area.key(), row.key);
        assert_eq!(area.label(), row.label);
        assert_eq!(area.section().label(), row.section, "section of {}", row.key);
    }
    let mut sections: Vec<&str> = rows.iter().map(|r| r.section).collect();
    sections.dedup();
    let labels: Vec<&str> = Section::ALL.iter().map(|s| s.label()).collect();
    assert_eq!(sections, labels);
}

#[test]
fn every_cell_of_the_matrix_equals_the_csv() {
    let (_, rows) = rows(CRATE_CSV);
    let mut checked = 0;
    for (area, row) in Area::ALL.into_iter().zip(&rows) {
        for (role, cell) in Role::ALL.into_iter().zip(&row.cells) {
            let expected: Access = cell.parse().expect("a valid cell");
            assert_eq!(role_access(role, area), expected, "{} for {}", area.key(), role.key());
            checked += 1;
        }
    }
    assert_eq!(checked, 27 * 7);
}

#[test]
fn the_crate_copy_is_the_spec_when_the_spec_is_beside_the_project() {
    // The project builds and tests without ../shared; when it is there, the copy must not drift.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/rights-matrix.csv");
    if let Ok(spec) = std::fs::read_to_string(&spec) {
        assert_eq!(spec.trim_end(), CRATE_CSV.trim_end(), "crates/rights/data/rights-matrix.csv differs from the spec");
    }
}
