//! One [`Registry`] per node kind: which node of the kind's arena (`Network::vpcs`,
//! `Network::subnets`, …) stands for each model resource and for each id, so that a resource
//! read twice (a data source that reads a managed resource, a reference and an id) is one node.
//!
//! Nodes are numbered in creation order; the rules and the reports see that order, so every
//! kind creates its nodes through here, the same way.

use crate::hash::FastMap;
use std::marker::PhantomData;

use crate::graph::index::Index;
use crate::graph::{Endpoint, Node, Principal, RouteTable, SecurityGroup, Subnet, Vpc};
use crate::model::{Model, Resource};

/// A node kind held in a registry.
pub(super) trait Kind {
    /// The id the registry finds this node by: the AWS id (`vpc-…`, `subnet-…`), or `None` for
    /// kinds found by other keys (see [`Registry::alias`]).
    fn registry_id(&self) -> Option<&str>;
}

/// A node kind that can exist before its attributes are read: an object the input names only
/// by id, or a resource whose attributes a later step of its pass fills in.
pub(super) trait Placeholder: Kind {
    fn placeholder(node: Node) -> Self;
}

/// The nodes of one kind, by model resource index and by id (or other key).
pub(super) struct Registry<T> {
    by_res: FastMap<usize, usize>,
    by_id: FastMap<String, usize>,
    kind: PhantomData<fn() -> T>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            by_res: FastMap::default(),
            by_id: FastMap::default(),
            kind: PhantomData,
        }
    }
}

impl<T: Kind> Registry<T> {
    /// The node of model resource `i`, when there is one.
    pub(super) fn of_resource(&self, i: usize) -> Option<usize> {
        self.by_res.get(&i).copied()
    }

    /// The node with this id (or key).
    pub(super) fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Records that model resource `i` is node `n`.
    pub(super) fn link(&mut self, i: usize, n: usize) {
        self.by_res.insert(i, n);
    }

    /// Records `key` for node `n`, unless an earlier node has it.
    pub(super) fn alias(&mut self, key: String, n: usize) {
        self.by_id.entry(key).or_insert(n);
    }

    /// Appends a node to its arena; its id finds it unless an earlier node has that id.
    pub(super) fn add(&mut self, arena: &mut Vec<T>, value: T) -> usize {
        let n = arena.len();
        if let Some(id) = value.registry_id() {
            self.by_id.entry(id.to_string()).or_insert(n);
        }
        arena.push(value);
        n
    }
}

impl<T: Placeholder> Registry<T> {
    /// The node of model resource `i`: the one made for it, or for the resource it stands for
    /// ([`Index::canonical`] with `want`), else a new placeholder for that resource.
    pub(super) fn get_or_insert(
        &mut self,
        ix: &Index<'_>,
        arena: &mut Vec<T>,
        i: usize,
        want: &dyn Fn(&Resource) -> bool,
    ) -> usize {
        if let Some(n) = self.of_resource(i) {
            return n;
        }
        let c = ix.canonical(i, want);
        if let Some(n) = self.of_resource(c) {
            self.link(i, n);
            return n;
        }
        let n = self.add(arena, T::placeholder(node_of(ix.model, ix.res(c), c)));
        self.link(c, n);
        self.link(i, n);
        n
    }

    /// The node with id `id`, else a new placeholder for an object the input names only by id.
    pub(super) fn get_or_insert_id(&mut self, arena: &mut Vec<T>, id: &str) -> usize {
        match self.by_id(id) {
            Some(n) => n,
            None => self.add(arena, T::placeholder(id_node(id))),
        }
    }
}

impl Kind for Vpc {
    fn registry_id(&self) -> Option<&str> {
        self.node.id.as_deref()
    }
}

impl Kind for Subnet {
    fn registry_id(&self) -> Option<&str> {
        self.node.id.as_deref()
    }
}

impl Kind for RouteTable {
    fn registry_id(&self) -> Option<&str> {
        self.node.id.as_deref()
    }
}

impl Kind for SecurityGroup {
    fn registry_id(&self) -> Option<&str> {
        self.node.id.as_deref()
    }
}

impl Kind for Endpoint {
    fn registry_id(&self) -> Option<&str> {
        self.node.id.as_deref()
    }
}

/// Principals are found by name and by ARN (keys made by the IAM pass), not by id.
impl Kind for Principal {
    fn registry_id(&self) -> Option<&str> {
        None
    }
}

/// The node of model resource `i` (`r`) of `model`.
pub(super) fn node_of(model: &Model, r: &Resource, i: usize) -> Node {
    Node {
        address: Some(r.address.clone()),
        id: r.id().map(str::to_string),
        input: Some(r.input),
        resource: Some(i),
        location: r.location().cloned(),
        attr_locations: r
            .source
            .as_ref()
            .map_or_else(Default::default, |s| s.attr_locations.clone()),
        data: r.is_data(),
        root: model.root_of(r.input).cloned(),
    }
}

/// The node of an object the input names only by id.
pub(super) fn id_node(id: &str) -> Node {
    Node {
        id: Some(id.to_string()),
        ..Node::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Thing(Node);

    impl Kind for Thing {
        fn registry_id(&self) -> Option<&str> {
            self.0.id.as_deref()
        }
    }

    impl Placeholder for Thing {
        fn placeholder(node: Node) -> Self {
            Thing(node)
        }
    }

    #[test]
    fn ids_find_the_first_node_that_has_them() {
        let mut reg: Registry<Thing> = Registry::default();
        let mut arena = Vec::new();
        let a = reg.get_or_insert_id(&mut arena, "vpc-1");
        let b = reg.get_or_insert_id(&mut arena, "vpc-2");
        assert_eq!((a, b), (0, 1));
        assert_eq!(reg.get_or_insert_id(&mut arena, "vpc-1"), 0);
        // A second node with the same id does not take it over.
        let c = reg.add(&mut arena, Thing(id_node("vpc-1")));
        assert_eq!(c, 2);
        assert_eq!(reg.by_id("vpc-1"), Some(0));
        assert_eq!(arena.len(), 3);
    }

    #[test]
    fn aliases_and_resources() {
        let mut reg: Registry<Thing> = Registry::default();
        let mut arena = Vec::new();
        let n = reg.add(&mut arena, Thing(Node::default()));
        assert_eq!(reg.by_id(""), None);
        reg.alias("arn:x".into(), n);
        reg.alias("arn:x".into(), 7);
        assert_eq!(reg.by_id("arn:x"), Some(n));
        assert_eq!(reg.of_resource(3), None);
        reg.link(3, n);
        assert_eq!(reg.of_resource(3), Some(n));
    }
}
