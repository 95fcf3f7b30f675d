// The categories (GET /categories, parents named by code) as the tree an
// el-tree-select takes: {value: code, label: name, children}.
export function categoryTree(categories) {
  const nodes = new Map(categories.map((c) => [c.code, { value: c.code, label: c.name, children: [] }]));
  const roots = [];
  for (const c of categories) (c.parent ? nodes.get(c.parent)?.children : roots)?.push(nodes.get(c.code));
  return roots;
}
