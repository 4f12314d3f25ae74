fn main() {
    yew::Renderer::<useradmin_web::App>::new().render();
}
