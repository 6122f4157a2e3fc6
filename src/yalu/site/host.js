// A static host for the anywidget `render` contract: the explorer's own ES module (explorer.js,
// copied unchanged from yalu/static) runs here on the explorer's own payload, with no kernel.
// The models below give render() what a Jupyter widget manager would: get, set, on, off,
// save_changes, send and widget_manager.get_model. Nothing is sent anywhere: there is no kernel.
import widget from "./explorer.js";

class Model {
  constructor(state, manager) {
    this.state = { ...state };
    this.widget_manager = manager;
    this.handlers = new Map();
  }
  get(name) { return this.state[name]; }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    if (old !== value) this.emit(`change:${name}`, value);
  }
  on(event, callback) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(callback);
  }
  off(event, callback) {
    if (!event) { this.handlers.clear(); return; }
    this.handlers.set(event, callback ? (this.handlers.get(event) || []).filter((f) => f !== callback) : []);
  }
  save_changes() { this.emit("save", this.state); } // nothing to sync with: the page is the whole program
  send() {}
  emit(event, value) { for (const f of this.handlers.get(event) || []) f(value); }
}

async function fetched(url, kind) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  return kind === "json" ? res.json() : res.text();
}

// Render the explorer into `el`, opening on `view` (as yalu.explorer.explore() makes it).
export async function mount(el, view, base = "_yalu") {
  const [data, source, css] = await Promise.all([
    fetched(`${base}/explorer-data.json`, "json"),
    fetched(`${base}/vis-timeline-graph2d.min.mjs`, "text"),
    fetched(`${base}/vis-timeline-graph2d.min.css`, "text"),
  ]);
  const models = new Map();
  const manager = {
    async get_model(id) {
      if (!models.has(id)) throw new Error(`no model ${id}`);
      return models.get(id);
    },
  };
  models.set("catalogue", new Model({ version: data.version, source, css, payload: data.payload }, manager));
  const model = new Model({ catalogue: "IPY_MODEL_catalogue", view }, manager);
  const render = widget.render || (typeof widget === "function" ? widget : null);
  if (!render) throw new Error("explorer.js has no render()");
  return render({ model, el });
}
