//! OpenAPI schemas of the types that live in `useradmin-rights` (which knows nothing of
//! OpenAPI): role keys, role sets, area keys, access levels; and of the checked strings of
//! `validate` (e-mail, name, password, settings documents). Built from the rights crate's own
//! lists and from the limits the checks use, so that they never drift from what is enforced.

use useradmin_rights::{Area, Role, Section};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};

use crate::validate::{
    MAX_DOCUMENT_FIELDS, MAX_EMAIL_CHARS, MAX_FIELD_NAME_CHARS, MAX_FIELD_VALUE_CHARS, MAX_NAME_CHARS,
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
};

/// No control characters (Unicode category Cc, what `char::is_control` tests) and not only
/// spaces, as a pattern every JSON Schema, Python and Rust regex engine reads.
const NAME_PATTERN: &str =
    "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// An address `check_email` accepts (surrounding spaces are trimmed first).
pub fn email() -> RefOr<Schema> {
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(MAX_EMAIL_CHARS))
        .description(Some("An e-mail address; surrounding spaces are trimmed"))
        .into()
}

/// A name `check_name` accepts.
pub fn name() -> RefOr<Schema> {
    string()
        .min_length(Some(1))
        .max_length(Some(MAX_NAME_CHARS))
        .pattern(Some(NAME_PATTERN))
        .description(Some("A person's name; surrounding spaces are trimmed"))
        .into()
}

pub fn optional_name() -> RefOr<Schema> {
    name()
}

/// A new password `check_password` accepts.
pub fn password() -> RefOr<Schema> {
    string()
        .min_length(Some(MIN_PASSWORD_CHARS))
        .max_length(Some(MAX_PASSWORD_CHARS))
        .description(Some("A new password"))
        .into()
}

/// An area's settings document: named text fields.
pub fn area_document() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .max_properties(Some(MAX_DOCUMENT_FIELDS))
        .property_names(Some(
            string().min_length(Some(1)).max_length(Some(MAX_FIELD_NAME_CHARS)).pattern(Some("\\S")).build(),
        ))
        .additional_properties(Some(AdditionalProperties::RefOr(
            string().max_length(Some(MAX_FIELD_VALUE_CHARS)).into(),
        )))
        .description(Some("Field names (not only spaces) and their text values"))
        .into()
}

fn string_enum(values: impl IntoIterator<Item = &'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).description(Some(description)).into()
}

pub fn role() -> RefOr<Schema> {
    string_enum(Role::ALL.map(Role::key), "A role key")
}

/// A valid `RoleSet`: one role alone, or any of the roles that combine (the exclusive ones,
/// admin and read_only_operations, stand alone).
pub fn role_set() -> RefOr<Schema> {
    let combinable = Role::ALL.into_iter().filter(|role| !role.is_exclusive());
    AnyOfBuilder::new()
        .item(ArrayBuilder::new().items(role()).max_items(Some(1)))
        .item(
            ArrayBuilder::new()
                .items(string_enum(combinable.clone().map(Role::key), "A role that combines with others"))
                .unique_items(true)
                .max_items(Some(combinable.count())),
        )
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
