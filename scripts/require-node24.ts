// Fails loudly when npm fell back to another Node than the pinned one (see docs/decisions/001).
const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.error(`KommA needs Node 24 (found ${process.versions.node}). Run "npm install" first: it installs the pinned Node 24 into node_modules/.bin.`);
  process.exit(1);
}
