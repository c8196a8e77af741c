// The job's computational graph for one training row (GET /api/jobs/{id}/graph?row=N[&unroll=true]), refreshed
// while the job trains; clicking a node explains its gradient as a sum over paths.
import { getJson, ApiError } from './api.js';
import { isTerminal } from './format.js';
import { GraphView } from './graphview.js';
import { findRoot, pathSum } from './paths.js';
import { renderPathSum } from './pathpanel.js';

const REFRESH_MS = 1500;
const READABLE_NODES = 150; // past this the scalar view is drawn only when asked for explicitly

export class JobGraph {
  constructor(card) {
    this.card = card;
    this.rowInput = card.querySelector('[name=graphRow]');
    this.unrollInput = card.querySelector('[name=graphUnroll]');
    this.note = card.querySelector('[data-role=graph-note]');
    this.panel = card.querySelector('[data-role=path-sum]');
    this.view = new GraphView(card.querySelector('[data-role=graph-view]'), { onSelect: id => this.select(id) });
    this.job = null;
    this.graph = null;
    this.selected = null;
    this.loading = false;
    this.rowInput.addEventListener('change', () => this.load());
    this.note.addEventListener('click', e => {
      if (!e.target.closest('[data-action=force-unroll]')) return;
      this.forceUnroll = true;
      this.load();
    });
    this.unrollInput.addEventListener('change', () => {
      this.forceUnroll = this.unrollInput.checked; // the user asked for it: draw it even when large
      this.selected = null;
      this.load();
    });
    setInterval(() => { if (this.job && !isTerminal(this.job) && !document.hidden) this.load(); }, REFRESH_MS);
  }

  setJob(job) {
    const changed = this.job?.id !== job?.id;
    const finished = this.job && !isTerminal(this.job) && job && isTerminal(job);
    this.job = job;
    if (changed) {
      this.forceUnroll = false;
      this.selected = null;
      this.graph = null;
      this.panel.hidden = true;
      this.view.clear(job ? 'Loading the graph…' : 'Select a job to see its computational graph.');
    }
    if (job && (changed || finished)) this.load();
  }

  async load() {
    if (!this.job) return;
    if (this.loading) { this.again = true; return; } // the row or view changed mid-request: load once more after it
    this.again = false;
    const job = this.job;
    const row = Math.max(0, Number(this.rowInput.value) || 0);
    const graphOf = unroll => getJson(`/api/jobs/${encodeURIComponent(job.id)}/graph?row=${row}${unroll ? '&unroll=true' : ''}`);
    this.loading = true;
    try {
      let graph;
      try {
        graph = await graphOf(this.unrollInput.checked);
        this.note.textContent = '';
        if (this.unrollInput.checked && !this.forceUnroll && graph.nodes.length > READABLE_NODES) {
          graph = await graphOf(false);
          this.note.innerHTML = `The scalar view of this network has more than ${READABLE_NODES} nodes: showing the tensor view. ` +
            '<button type="button" class="link" data-action="force-unroll">Draw the scalar view anyway</button>';
        }
      } catch (e) {
        if (!(e instanceof ApiError) || !this.unrollInput.checked || e.status !== 400 || e.problem.errors?.row) throw e;
        // Too big to unroll: untick the box (so the refresh does not ask again) and draw the tensor view.
        this.unrollInput.checked = false;
        this.forceUnroll = false;
        graph = await graphOf(false);
        this.note.textContent = 'This network is too large for the scalar view (one node per number); showing the tensor view.';
      }
      if (this.job?.id !== job.id) return;
      this.graph = graph;
      this.draw();
    } catch (e) {
      if (this.job?.id !== job.id) return;
      // Nothing of the previous row stays: its graph and its path panel would describe another row.
      this.graph = null;
      this.panel.hidden = true;
      if (e instanceof ApiError && e.status === 409) this.view.clear('The graph appears once the job has weights.');
      else if (e instanceof ApiError && e.problem.errors?.row) this.view.clear(`Row ${row}: ${[].concat(e.problem.errors.row).join(' ')}`);
      else this.view.clear(e.message);
    } finally {
      this.loading = false;
      if (this.again) this.load();
    }
  }

  select(id) {
    this.selected = id;
    this.draw();
  }

  draw() {
    const graph = this.graph;
    if (!graph) return;
    const root = findRoot(graph);
    let highlight = new Set();
    const node = graph.nodes.find(n => n.id === this.selected);
    if (node && root) {
      const result = pathSum(graph.edges, node.id, root);
      highlight = result.edgesOnPaths;
      renderPathSum(this.panel, { node, root, result, what: 'C' });
    } else {
      this.panel.hidden = true;
    }
    this.view.render(graph, { selected: this.selected, highlight, root });
    this.card.dataset.graphJob = this.job.id;
  }
}
