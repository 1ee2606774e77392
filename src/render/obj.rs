//! Building Tera values: maps in one go at their final size, lists from iterators.

use tera::Value;

/// A small builder for Tera maps, keeping key order. Fields are gathered in a list and the
/// map is made once, at its final size, by Tera's serializer (which takes the fields' values
/// as they are): `Value::from` a map copies it into a new one, hashing every key again.
#[derive(Default)]
pub(super) struct Obj(Vec<(&'static str, Value)>);

impl serde::Serialize for Obj {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = s.serialize_struct("Obj", self.0.len())?;
        for (k, v) in &self.0 {
            fields.serialize_field(k, v)?;
        }
        fields.end()
    }
}

impl Obj {
    pub(super) fn new() -> Self {
        Obj(Vec::with_capacity(16))
    }
    pub(super) fn set(mut self, k: &'static str, v: impl Into<Value>) -> Self {
        self.0.push((k, v.into()));
        self
    }
    pub(super) fn opt(self, k: &'static str, v: Option<impl Into<Value>>) -> Self {
        match v {
            Some(v) => self.set(k, v),
            None => self.set(k, Value::none()),
        }
    }
    pub(super) fn build(self) -> Value {
        Value::try_from_serializable(&self).unwrap_or_else(|_| {
            // Not expected (every field is already a value), but never worth a panic.
            let map: tera::Map = self.0.into_iter().map(|(k, v)| (k.into(), v)).collect();
            Value::from(map)
        })
    }
}

pub(super) fn list(v: impl IntoIterator<Item = Value>) -> Value {
    Value::from(v.into_iter().collect::<Vec<Value>>())
}
