// Changes made to FerretDB v1.24.2's SQLite backend before the development database is built.
// Each must match exactly `count` places (1 unless said); a FerretDB upgrade that moves the code
// fails the build loudly instead of silently building without them.
//
// Why: FerretDB v1.24 creates each collection's `_id` index on `_ferretdb_sjson->"_id"` but
// names `_id` as `_ferretdb_sjson->'$._id'` in its queries, updates and deletes. SQLite matches
// index expressions by their form, so it never used the index: every update or delete of one
// document read the whole table (0.75 s per update in a collection of 150,000), and a find by
// `_id` was fast only when the document happened to be near the start. Besides, a query was
// narrowed by `_id` only when the filter was exactly `{_id: X}`, so conditional updates such as
// `{_id, version}` read everything. The handler filters every document it gets back again, so
// narrowing the SQL to the `_id` named in any filter returns the same answers.
export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

export const PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    why: "name `_id` in SQL the way its index does, so SQLite uses the index",
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    why: 'narrow a query (and its explain) to the `_id` a filter names, whatever else the filter holds',
    count: 2,
    from: '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")',
    to: '\tif params.Filter != nil && params.Filter.Has("_id") {\n\t\tv, _ := params.Filter.Get("_id")',
  },
];
