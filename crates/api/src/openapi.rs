//! OpenAPI schemas of the types that live in `useradmin-rights` (which knows nothing of
//! OpenAPI): role keys, role sets, area keys, access levels. Built from the rights crate's own
//! lists, so they never drift from it.

use useradmin_rights::{Area, Role, Section};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};

fn string_enum(values: impl IntoIterator<Item = &'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).description(Some(description)).into()
}

pub fn role() -> RefOr<Schema> {
    string_enum(Role::ALL.map(Role::key), "A role key")
}

pub fn role_set() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(role())
        .unique_items(true)
        .max_items(Some(Role::ALL.len()))
        .description(Some("Role keys, sorted; admin and read_only_operations cannot be combined with any other role"))
        .into()
}

pub fn optional_role_set() -> RefOr<Schema> {
    role_set()
}

pub fn area() -> RefOr<Schema> {
    string_enum(Area::ALL.map(Area::key), "An area key")
}

pub fn section() -> RefOr<Schema> {
    string_enum(Section::ALL.map(Section::key), "A section key")
}

pub fn access() -> RefOr<Schema> {
    string_enum(["none", "r", "rw"], "An access level: none, read (r) or read-write (rw)")
}

pub fn access_list() -> RefOr<Schema> {
    ArrayBuilder::new().items(access()).into()
}

/// `{area_key: "r" | "rw"}` for the areas a user can see.
pub fn access_map() -> RefOr<Schema> {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("Every area the user can see, with r (read only) or rw (read and write)"));
    for area in Area::ALL {
        object = object.property(area.key(), string_enum(["r", "rw"], area.label()));
    }
    object.additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false))).into()
}
