//! Micro-benchmarks of the checks the server runs on every request and the browser on every
//! render. Targets: `RoleSet::access` under 50 ns, the visible menu under 1 µs.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use useradmin_rights::{Area, Role, RoleSet, visible_menu};

fn rights(c: &mut Criterion) {
    let set = RoleSet::new([Role::Finance, Role::Reports, Role::Templates]).unwrap();
    c.bench_function("access_one_area", |b| b.iter(|| black_box(black_box(set).access(black_box(Area::Taxes)))));
    c.bench_function("access_all_27_areas", |b| {
        b.iter(|| Area::ALL.iter().map(|area| black_box(set).access(*area) as u8).sum::<u8>())
    });
    c.bench_function("visible_menu_three_roles", |b| b.iter(|| visible_menu(black_box(set))));
    c.bench_function("visible_menu_administrator", |b| {
        b.iter(|| visible_menu(black_box(RoleSet::single(Role::Admin))))
    });
}

criterion_group!(benches, rights);
criterion_main!(benches);
