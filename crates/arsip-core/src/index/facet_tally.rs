//! Facet counts for a search, without tantivy's `FacetCollector`.
//!
//! Measured at 100,000 records (`cargo bench -p arsip-core --bench search`
//! under `perf`): `FacetCollector` took about half of every search. For each
//! segment and each query it streams the whole facet dictionary to map
//! ordinals to the facets asked for, and at the end it looks every counted
//! ordinal up again; each dictionary block read decompresses with a new zstd
//! context (`ZSTD_createDCtx` alone was 15% of the search). A segment never
//! changes once written, so the mapping from a segment's facet ordinals to
//! the values counted is made once per segment and set of roots, and kept
//! (`TallyMaps`); a search then only adds up ordinals.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Where a segment's facet ordinals are counted: for each ordinal, the index
/// of the value it counts for (`NONE` when under no root asked for), and
/// each value's root and name.
struct SegmentMap {
    slot_of_ord: Vec<u32>,
    values: Vec<(usize, String)>,
    /// For the usual sets of roots, each document's slots read once
    /// (`DocSlots`); for a region chosen, none (its ordinals are read per
    /// search).
    docs: Option<DocSlots>,
}

/// Each document's slots, deduplicated, in one array (`slots[starts[d] ..
/// starts[d + 1]]`). Measured at 1M records (`perf` on the search bench):
/// reading the facet column per matching document (its multivalue index,
/// then each bit-packed ordinal) was a quarter of a search for a word nearly
/// every record holds; this table is read instead. It costs about 20 bytes a
/// document per set of roots (two sets: the public's and staff's), so 20 MB
/// for a segment of 1M records. Made only when every slot fits in 16 bits.
struct DocSlots {
    starts: Vec<u32>,
    slots: Vec<u16>,
}

impl DocSlots {
    fn build(reader: &FacetReader, slot_of_ord: &[u32], max_doc: DocId) -> Option<DocSlots> {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut slots: Vec<u16> = Vec::with_capacity(max_doc as usize * 8);
        starts.push(0);
        for doc in 0..max_doc {
            let first = slots.len();
            for ord in reader.facet_ords(doc) {
                let slot = slot_of_ord.get(ord as usize).copied().unwrap_or(NONE);
                if slot == NONE {
                    continue;
                }
                let slot = u16::try_from(slot).ok()?;
                // Two facets under one child (a region and the one above
                // it) count once.
                if !slots[first..].contains(&slot) {
                    slots.push(slot);
                }
            }
            starts.push(u32::try_from(slots.len()).ok()?);
        }
        slots.shrink_to_fit();
        Some(DocSlots { starts, slots })
    }

    fn of(&self, doc: DocId) -> &[u16] {
        let d = doc as usize;
        match (self.starts.get(d), self.starts.get(d + 1)) {
            (Some(&a), Some(&b)) => self.slots.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

const NONE: u32 = u32::MAX;

impl SegmentMap {
    /// Reads the segment's facet dictionary once. A facet is counted under a
    /// root when it is the root's child or lies below one, as the child.
    fn build(
        reader: &FacetReader,
        roots: &[Facet],
        per_doc: Option<DocId>,
    ) -> tantivy::Result<SegmentMap> {
        let roots: Vec<Vec<u8>> = roots
            .iter()
            .map(|r| r.encoded_str().as_bytes().to_vec())
            .collect();
        let dict = reader.facet_dict();
        let mut slot_of_ord = vec![NONE; dict.num_terms()];
        let mut values: Vec<(usize, String)> = Vec::new();
        let mut slots: HashMap<(usize, Vec<u8>), u32> = HashMap::new();
        let mut terms = dict.stream()?;
        while terms.advance() {
            let key = terms.key();
            let Some((root, child)) = roots.iter().enumerate().find_map(|(i, r)| {
                let rest = key.strip_prefix(r.as_slice())?.strip_prefix(&[FACET_SEP])?;
                let child = rest.split(|b| *b == FACET_SEP).next()?;
                Some((i, child))
            }) else {
                continue;
            };
            let slot = *slots.entry((root, child.to_vec())).or_insert_with(|| {
                values.push((root, String::from_utf8_lossy(child).into_owned()));
                (values.len() - 1) as u32
            });
            if let Some(s) = slot_of_ord.get_mut(terms.term_ord() as usize) {
                *s = slot;
            }
        }
        let docs = per_doc.and_then(|max_doc| DocSlots::build(reader, &slot_of_ord, max_doc));
        Ok(SegmentMap {
            slot_of_ord,
            values,
            docs,
        })
    }
}

/// The separator between a facet's parts in its encoded form.
const FACET_SEP: u8 = 0;

/// The maps of the segments searched, kept between searches. Maps of
/// segments merged away are dropped as the searcher changes. Maps with a
/// region chosen (one set of roots per region a visitor opens) are kept
/// apart and bounded, so that browsing thousands of regions never evicts
/// the maps every other search uses.
#[derive(Default)]
pub(crate) struct TallyMaps {
    usual: Mutex<HashMap<MapKey, Arc<SegmentMap>>>,
    regional: Mutex<HashMap<MapKey, Arc<SegmentMap>>>,
}

/// A segment and the roots counted in it.
type MapKey = (SegmentId, Vec<Facet>);

/// At most this many maps with a region chosen are kept (a few segments'
/// worth for each of the last regions opened); past it, all are made again
/// as needed.
const REGIONAL_KEPT: usize = 256;

impl TallyMaps {
    /// Forgets the maps of segments the searcher no longer has.
    pub fn retain_segments(&self, searcher: &tantivy::Searcher) {
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        for maps in [&self.usual, &self.regional] {
            let mut maps = maps.lock().unwrap_or_else(|p| p.into_inner());
            maps.retain(|(segment, _), _| live.contains(segment));
        }
    }

    fn map(
        &self,
        segment: &SegmentReader,
        reader: &FacetReader,
        roots: &[Facet],
    ) -> tantivy::Result<Arc<SegmentMap>> {
        // A root below the top level: a region chosen.
        let regional = roots
            .iter()
            .any(|r| r.encoded_str().contains(char::from(FACET_SEP)));
        let (maps, kept) = if regional {
            (&self.regional, REGIONAL_KEPT)
        } else {
            // Usual root sets are few (the public's and staff's), times
            // the live segments; the bound only guards against surprises.
            (&self.usual, 4 * REGIONAL_KEPT)
        };
        let key = (segment.segment_id(), roots.to_vec());
        if let Some(m) = maps.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(m.clone());
        }
        // Made outside the lock: two searches may both make it, once.
        let per_doc = (!regional).then(|| segment.max_doc());
        let map = Arc::new(SegmentMap::build(reader, roots, per_doc)?);
        let mut maps = maps.lock().unwrap_or_else(|p| p.into_inner());
        if maps.len() >= kept {
            maps.clear();
        }
        maps.insert(key, map.clone());
        Ok(map)
    }
}

/// Counts, for each root, how many matching documents fall under each of its
/// children. Roots must not lie below one another.
pub(crate) struct FacetTally<'a> {
    field: &'a str,
    roots: Vec<Facet>,
    maps: &'a TallyMaps,
}

impl<'a> FacetTally<'a> {
    pub fn new(field: &'a str, roots: Vec<Facet>, maps: &'a TallyMaps) -> FacetTally<'a> {
        FacetTally { field, roots, maps }
    }
}

/// For each root (in the order given), its children's names and counts;
/// and how many documents matched in all.
#[derive(Debug, Default)]
pub(crate) struct Tallies {
    counts: Vec<BTreeMap<String, u64>>,
    pub total: usize,
}

impl Tallies {
    /// The counts under the `i`th root, as (child, count).
    pub fn of_root(&self, i: usize) -> impl Iterator<Item = (&str, u64)> {
        self.counts
            .get(i)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), *v)))
    }
}

pub(crate) struct SegmentTally {
    reader: FacetReader,
    map: Arc<SegmentMap>,
    counts: Vec<u64>,
    roots: usize,
    total: usize,
}

impl Collector for FacetTally<'_> {
    type Fruit = Tallies;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let reader = segment.facet_reader(self.field)?;
        let map = self.maps.map(segment, &reader, &self.roots)?;
        Ok(SegmentTally {
            counts: vec![0; map.values.len()],
            reader,
            map,
            roots: self.roots.len(),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut all = Tallies {
            counts: vec![BTreeMap::new(); self.roots.len()],
            total: 0,
        };
        for t in segments {
            all.total += t.total;
            for (i, m) in t.counts.into_iter().enumerate() {
                if let Some(into) = all.counts.get_mut(i) {
                    for (k, v) in m {
                        *into.entry(k).or_insert(0) += v;
                    }
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        if let Some(docs) = &self.map.docs {
            for &slot in docs.of(doc) {
                if let Some(c) = self.counts.get_mut(slot as usize) {
                    *c += 1;
                }
            }
            return;
        }
        // Ordinals come sorted: two facets under one child (a region and
        // the one above it) are next to each other and count once.
        let mut previous = NONE;
        for ord in self.reader.facet_ords(doc) {
            let slot = self
                .map
                .slot_of_ord
                .get(ord as usize)
                .copied()
                .unwrap_or(NONE);
            if slot != NONE && slot != previous {
                if let Some(c) = self.counts.get_mut(slot as usize) {
                    *c += 1;
                }
            }
            previous = slot;
        }
    }

    fn harvest(self) -> Tallies {
        let mut counts = vec![BTreeMap::new(); self.roots];
        for (slot, n) in self.counts.into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            if let Some((root, name)) = self.map.values.get(slot) {
                if let Some(m) = counts.get_mut(*root) {
                    *m.entry(name.clone()).or_insert(0) += n;
                }
            }
        }
        Tallies {
            counts,
            total: self.total,
        }
    }
}
