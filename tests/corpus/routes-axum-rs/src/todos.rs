use serde::Serialize;
use std::sync::{Arc, Mutex};

#[derive(Clone, Serialize)]
pub struct Todo {
    pub id: u64,
    pub title: String,
    pub done: bool,
}

#[derive(Clone, Default)]
pub struct Store {
    items: Arc<Mutex<Vec<Todo>>>,
}

impl Store {
    pub fn list(&self) -> Vec<Todo> {
        self.items.lock().map(|items| items.clone()).unwrap_or_default()
    }

    pub fn add(&self, title: String) -> Todo {
        let mut items = self.items.lock().expect("store lock");
        let todo = Todo { id: items.len() as u64 + 1, title, done: false };
        items.push(todo.clone());
        todo
    }

    pub fn finish(&self, id: u64) -> Todo {
        let mut items = self.items.lock().expect("store lock");
        let todo = items.iter_mut().find(|t| t.id == id).expect("todo");
        todo.done = true;
        todo.clone()
    }

    pub fn remove(&self, id: u64) {
        if let Ok(mut items) = self.items.lock() {
            items.retain(|t| t.id != id);
        }
    }
}
