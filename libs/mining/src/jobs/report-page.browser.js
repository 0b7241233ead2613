/*
 * Interactive parts of the ProcessMining report: the process map's sliders and
 * frequency/performance switch (laid out with dagre, inlined before this script) and the
 * variant explorer. Reads the JSON in #report-data (built by report-map.ts and
 * variant-explorer.ts). Without scripts the page keeps its static map and tables, so every
 * step here only replaces or adds to what is already shown. All text goes in through
 * textContent, never as markup.
 */
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var dataElement = document.getElementById('report-data');
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent || '{}');

  function svgElement(name, attributes, parent) {
    var element = document.createElementNS(SVG_NS, name);
    for (var key in attributes) element.setAttribute(key, String(attributes[key]));
    if (parent) parent.appendChild(element);
    return element;
  }

  function htmlElement(name, text, parent, className) {
    var element = document.createElement(name);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    if (parent) parent.appendChild(element);
    return element;
  }

  function formatInteger(value) {
    return Number(value).toLocaleString('en-US');
  }

  // ---------------------------------------------------------------------------
  // Process map

  var NODE_PAD_X = 10;
  var NODE_PAD_Y = 6;
  var NAME_LINE = 15;
  var METRIC_LINE = 13;
  var EDGE_LINE = 13;
  var TERMINAL = 14;
  var ARROW = 7;
  var LOOP = 18;

  function setUpMap(map) {
    var root = document.getElementById('process-map');
    var controls = root.querySelector('.map-controls');
    var staticMap = root.querySelector('.map-static');
    var live = document.getElementById('map-live');
    var legend = document.getElementById('map-legend');
    var activitiesInput = document.getElementById('map-activities');
    var pathsInput = document.getElementById('map-paths');
    var activitiesValue = document.getElementById('map-activities-value');
    var pathsValue = document.getElementById('map-paths-value');
    var statisticField = document.getElementById('map-statistic');
    if (map.activities.length === 0) return;

    activitiesInput.max = String(map.activities.length);
    activitiesInput.value = String(map.defaults.activities);
    pathsInput.value = String(map.defaults.pathsPercent);
    controls.addEventListener('submit', function (event) {
      event.preventDefault();
    });
    controls.addEventListener('input', draw);
    controls.addEventListener('change', draw);

    var measure = svgElement('svg', { width: 0, height: 0, 'aria-hidden': 'true' });
    measure.style.position = 'absolute';
    measure.style.visibility = 'hidden';
    live.appendChild(measure);

    controls.hidden = false;
    live.hidden = false;
    staticMap.hidden = true;
    draw();
    fitToWindow();

    // The opening level must fit the reader's window (the fonts, hence the boxes, are the browser's):
    // fewer activities until the drawn map does. The sliders then go anywhere.
    function fitToWindow() {
      var available = live.clientWidth;
      while (Number(activitiesInput.value) > 1) {
        var drawn = live.querySelector('svg.process-map');
        if (!drawn || Number(drawn.getAttribute('width')) <= available) return;
        activitiesInput.value = String(Number(activitiesInput.value) - 1);
        draw();
      }
    }

    function checked(name) {
      var input = controls.querySelector('input[name="' + name + '"]:checked');
      return input ? input.value : null;
    }

    function textWidth(text, className) {
      var probe = svgElement('text', { class: className }, measure);
      probe.textContent = text;
      var width = probe.getComputedTextLength();
      measure.removeChild(probe);
      return width;
    }

    function draw() {
      var k = Number(activitiesInput.value);
      var percent = Number(pathsInput.value);
      var view = checked('map-view') || 'frequency';
      var statistic = checked('map-statistic') || 'mean';
      var performance = view === 'performance';
      statisticField.disabled = !performance;

      var level = map.levels[k - 1];
      var reserved = new Set(level.reserved);
      var rest = [];
      for (var e = 0; e < map.edges.length; e++) {
        var candidate = map.edges[e];
        if (candidate.source < k && candidate.target < k && !reserved.has(e)) rest.push(e);
      }
      var shown = level.reserved.concat(rest.slice(0, Math.round((percent / 100) * rest.length)));

      activitiesValue.textContent = k + ' of ' + formatInteger(map.totalActivities) + ' activities';
      pathsValue.textContent = shown.length + ' of ' + level.candidates + ' paths';

      var graph = new dagre.graphlib.Graph({ multigraph: true });
      graph.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 34, edgesep: 6, marginx: 6, marginy: 6 });
      graph.setDefaultEdgeLabel(function () {
        return {};
      });
      // dagre does not place self-loops well: they are drawn beside their box, in room kept free to its right.
      var loops = {};
      shown.forEach(function (index) {
        var edge = map.edges[index];
        if (edge.source === edge.target) loops[edge.source] = edgeLook(index, performance, statistic);
      });
      var startNeeded = false;
      var endNeeded = false;
      for (var a = 0; a < k; a++) {
        var activity = map.activities[a];
        var metric = nodeMetric(activity, performance, statistic);
        var width = 0;
        activity.lines.forEach(function (line) {
          width = Math.max(width, textWidth(line, 'name'));
        });
        width = Math.max(width, textWidth(metric.text, 'metric'));
        var boxWidth = Math.ceil(width + 2 * NODE_PAD_X);
        var loop = loops[a] || null;
        var loopRoom = loop ? LOOP + 4 + Math.ceil(textWidth(loop.label, 'edge-label')) : 0;
        graph.setNode('a' + a, {
          width: boxWidth + loopRoom,
          height: activity.lines.length * NAME_LINE + METRIC_LINE + 2 * NODE_PAD_Y,
          boxWidth: boxWidth,
          loop: loop,
          activity: activity,
          metric: metric,
        });
        if (activity.startCount > 0) startNeeded = true;
        if (activity.endCount > 0) endNeeded = true;
      }
      if (startNeeded) graph.setNode('start', { width: TERMINAL, height: TERMINAL, terminal: 'start' });
      if (endNeeded) graph.setNode('end', { width: TERMINAL, height: TERMINAL, terminal: 'end' });

      shown.forEach(function (index) {
        var edge = map.edges[index];
        if (edge.source === edge.target) return;
        var look = edgeLook(index, performance, statistic);
        look.width = textWidth(look.label, 'edge-label') + 6;
        look.height = EDGE_LINE;
        look.labelpos = 'r';
        look.labeloffset = 3;
        graph.setEdge('a' + edge.source, 'a' + edge.target, look, 'e' + index);
      });
      for (var t = 0; t < k; t++) {
        var kept = map.activities[t];
        if (kept.startCount > 0) {
          graph.setEdge('start', 'a' + t, terminalEdge(performance, kept.startCount, kept.startWidth, 'start', kept.name), 's' + t);
        }
        if (kept.endCount > 0) {
          graph.setEdge('a' + t, 'end', terminalEdge(performance, kept.endCount, kept.endWidth, kept.name, 'end'), 'x' + t);
        }
      }
      dagre.layout(graph);
      render(graph, k, shown.length, performance);
      legend.textContent = legendText(performance, statistic, map.hasServiceTimes);
    }

    function edgeLook(index, performance, statistic) {
      var edge = map.edges[index];
      return {
        from: map.activities[edge.source].name,
        to: map.activities[edge.target].name,
        label: performance ? edge[statistic] : edge.count,
        stroke: performance ? { color: edge[statistic + 'Color'], width: edge[statistic + 'Width'] } : { color: '#5b6b7f', width: edge.width },
        tooltip: map.activities[edge.source].name + ' → ' + map.activities[edge.target].name + ': ' + edge.count + ' times, mean ' + edge.mean + ', median ' + edge.median,
      };
    }

    function terminalEdge(performance, count, width, from, to) {
      var label = performance ? '' : formatInteger(count);
      return {
        from: from,
        to: to,
        width: label ? textWidth(label, 'edge-label') + 6 : 0,
        height: label ? EDGE_LINE : 0,
        labelpos: 'c',
        label: label,
        stroke: { color: performance ? '#b0b8c4' : '#5b6b7f', width: performance ? 1 : width },
        dashed: performance,
        tooltip: from + ' → ' + to + ': ' + formatInteger(count) + ' cases',
      };
    }

    function render(graph, k, edgeCount, performance) {
      var size = graph.graph();
      var width = Math.ceil(size.width);
      var height = Math.ceil(size.height);
      var old = live.querySelector('svg.process-map');
      var svg = svgElement('svg', {
        class: 'process-map',
        width: width,
        height: height,
        viewBox: '0 0 ' + width + ' ' + height,
        role: 'img',
        'aria-label': 'Process map, ' + (performance ? 'performance' : 'frequency') + ' view: ' + k + ' activities, ' + edgeCount + ' paths',
      });
      var edges = svgElement('g', { class: 'edges' }, svg);
      var nodes = svgElement('g', { class: 'nodes' }, svg);
      graph.edges().forEach(function (ref) {
        var edge = graph.edge(ref);
        var points = edge.points.slice();
        // dagre ends edges on the layout box, which for a node with a self-loop is wider than its drawn box.
        points[0] = onBoxBorder(points[1], graph.node(ref.v));
        points[points.length - 1] = onBoxBorder(points[points.length - 2], graph.node(ref.w));
        drawEdge(edges, edge, points);
      });
      graph.nodes().forEach(function (id) {
        drawNode(nodes, graph.node(id));
      });
      if (old) live.replaceChild(svg, old);
      else live.appendChild(svg);
    }

    function drawNode(parent, node) {
      var group = svgElement('g', { class: node.terminal ? 'node terminal' : 'node' }, parent);
      if (node.terminal) {
        var colour = node.terminal === 'start' ? '#2e7d32' : '#c62828';
        svgElement('circle', { cx: node.x, cy: node.y, r: TERMINAL / 2, fill: colour, stroke: colour }, group);
        svgElement('title', {}, group).textContent = node.terminal;
        return;
      }
      var left = node.x - node.width / 2;
      var top = node.y - node.height / 2;
      var centre = left + node.boxWidth / 2;
      group.setAttribute('data-activity', node.activity.name);
      if (node.loop) drawLoop(parent, node.loop, left + node.boxWidth, node.y);
      svgElement('rect', {
        x: left,
        y: top,
        width: node.boxWidth,
        height: node.height,
        rx: 6,
        fill: node.metric.fill,
        stroke: node.metric.stroke,
        'stroke-width': 1,
      }, group);
      var y = top + NODE_PAD_Y;
      node.activity.lines.forEach(function (line) {
        y += NAME_LINE;
        var text = svgElement('text', { class: 'name', x: centre, y: y - 4, 'text-anchor': 'middle', fill: node.metric.font }, group);
        text.textContent = line;
      });
      var metric = svgElement('text', { class: 'metric', x: centre, y: y + METRIC_LINE - 3, 'text-anchor': 'middle', fill: node.metric.font }, group);
      metric.textContent = node.metric.text;
      svgElement('title', {}, group).textContent = node.activity.name + ': ' + node.metric.tooltip;
    }

    /** A self-loop: out of the box's right side and back in, with its label beside it. */
    function drawLoop(parent, edge, right, middle) {
      var group = svgElement('g', { class: 'edge loop', 'data-from': edge.from, 'data-to': edge.to }, parent);
      var top = middle - 8;
      var bottom = middle + 8;
      svgElement('path', {
        d: 'M' + right + ',' + top + ' C' + (right + LOOP) + ',' + (top - 8) + ' ' + (right + LOOP) + ',' + (bottom + 8) + ' ' + (right + 5) + ',' + (bottom + 1),
        fill: 'none',
        stroke: edge.stroke.color,
        'stroke-width': Math.min(edge.stroke.width, 4),
      }, group);
      svgElement('polygon', { points: [right, bottom, right + 7, bottom - 2, right + 5, bottom + 5].join(' '), fill: edge.stroke.color }, group);
      var text = svgElement('text', { class: 'edge-label', x: right + LOOP + 2, y: middle + 4, 'text-anchor': 'start' }, group);
      text.textContent = edge.label;
      svgElement('title', {}, group).textContent = edge.tooltip;
    }

    /** Where the line from `from` to the centre of a node's drawn box crosses the box's border. */
    function onBoxBorder(from, node) {
      if (node.terminal) return circleBorder(from, node);
      var width = node.boxWidth;
      var cx = node.x - node.width / 2 + width / 2;
      var dx = from.x - cx;
      var dy = from.y - node.y;
      if (dx === 0 && dy === 0) return { x: cx, y: node.y };
      var scale = Math.abs(dy) * width > Math.abs(dx) * node.height ? node.height / 2 / Math.abs(dy) : width / 2 / Math.abs(dx);
      return { x: cx + dx * scale, y: node.y + dy * scale };
    }

    function circleBorder(from, node) {
      var dx = from.x - node.x;
      var dy = from.y - node.y;
      var length = Math.sqrt(dx * dx + dy * dy) || 1;
      return { x: node.x + (dx / length) * (TERMINAL / 2), y: node.y + (dy / length) * (TERMINAL / 2) };
    }

    function drawEdge(parent, edge, points) {
      var group = svgElement('g', { class: 'edge', 'data-from': edge.from, 'data-to': edge.to }, parent);
      var tip = points[points.length - 1];
      var before = points[points.length - 2];
      var dx = tip.x - before.x;
      var dy = tip.y - before.y;
      var length = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / length;
      var uy = dy / length;
      var arrow = ARROW + edge.stroke.width;
      // The line stops at the arrowhead's base so thick strokes do not poke through the tip.
      points[points.length - 1] = { x: tip.x - ux * arrow, y: tip.y - uy * arrow };
      var attributes = { d: smoothPath(points), fill: 'none', stroke: edge.stroke.color, 'stroke-width': edge.stroke.width };
      if (edge.dashed) attributes['stroke-dasharray'] = '4 3';
      svgElement('path', attributes, group);
      var half = arrow / 2;
      svgElement('polygon', {
        points: [tip.x, tip.y, tip.x - ux * arrow - uy * half, tip.y - uy * arrow + ux * half, tip.x - ux * arrow + uy * half, tip.y - uy * arrow - ux * half]
          .map(function (v) {
            return v.toFixed(1);
          })
          .join(' '),
        fill: edge.stroke.color,
      }, group);
      if (edge.label) {
        var text = svgElement('text', { class: 'edge-label', x: edge.x, y: edge.y + 4, 'text-anchor': 'middle' }, group);
        text.textContent = edge.label;
      }
      svgElement('title', {}, group).textContent = edge.tooltip;
    }

    /** A curve through the layout's points: straight ends, quadratic bends at the inner points. */
    function smoothPath(points) {
      var d = 'M' + points[0].x.toFixed(1) + ',' + points[0].y.toFixed(1);
      for (var i = 1; i < points.length - 1; i++) {
        var mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
        d += ' Q' + points[i].x.toFixed(1) + ',' + points[i].y.toFixed(1) + ' ' + mid.x.toFixed(1) + ',' + mid.y.toFixed(1);
      }
      var last = points[points.length - 1];
      return d + ' L' + last.x.toFixed(1) + ',' + last.y.toFixed(1);
    }

    function nodeMetric(activity, performance, statistic) {
      var service = activity.serviceTime;
      if (performance && service) {
        return {
          text: service[statistic],
          fill: service[statistic + 'Fill'],
          font: service[statistic + 'Font'],
          stroke: '#8c3b2e',
          tooltip: statistic + ' service time ' + service[statistic] + ' (' + formatInteger(service.count) + ' measured), ' + activity.count + ' events',
        };
      }
      if (performance) {
        return { text: activity.count, fill: '#ffffff', font: '#1a1a1a', stroke: '#8c98a8', tooltip: activity.count + ' events (no service time measured)' };
      }
      return { text: activity.count, fill: activity.fill, font: activity.font, stroke: '#3a5a8c', tooltip: activity.count + ' events' };
    }
  }

  function legendText(performance, statistic, hasServiceTimes) {
    if (!performance) {
      return 'Frequency view: boxes show how many events each activity has (darker = more); edge labels show how often one activity directly followed another (thicker = more often). Hover for mean and median times.';
    }
    var nodes = hasServiceTimes
      ? 'boxes show the ' + statistic + ' service time (start to completion; darker red = slower)'
      : 'boxes show event counts only: this log has no start times, so no service time can be measured';
    return 'Performance view: edge labels show the ' + statistic + ' time between the completions of the two activities (redder and thicker = slower); ' + nodes + '. Dashed edges from the start and to the end carry no duration.';
  }

  // ---------------------------------------------------------------------------
  // Variant explorer

  function setUpVariantExplorer(variants) {
    var root = document.getElementById('variant-explorer');
    var list = document.getElementById('variant-explorer-list');
    var panel = document.getElementById('variant-cases');
    if (!root || !list || !panel) return;
    var note = root.querySelector('.needs-script');
    if (note) note.remove();

    var intro = variants.variants.length < variants.variantCount
      ? 'The ' + formatInteger(variants.variants.length) + ' most frequent of ' + formatInteger(variants.variantCount) + ' variants.'
      : formatInteger(variants.variantCount) + ' variants.';
    htmlElement('p', intro + ' Repeats in a row are collapsed: "a ×3" is a done three times in a row. Choose a variant to list its cases.', list);
    var table = htmlElement('table', null, htmlElement('div', null, list, 'explorer-list'), 'variant-table');
    var head = htmlElement('tr', null, htmlElement('thead', null, table));
    ['variant', 'cases', 'coverage %', 'mean duration', 'activities'].forEach(function (title) {
      htmlElement('th', title, head);
    });
    var body = htmlElement('tbody', null, table);
    var buttons = [];
    variants.variants.forEach(function (variant, index) {
      var row = htmlElement('tr', null, body);
      var button = htmlElement('button', variant.id, htmlElement('td', null, row), 'variant');
      button.type = 'button';
      button.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-controls', 'variant-cases');
      button.setAttribute('aria-label', 'Show the cases of variant ' + variant.id);
      button.addEventListener('click', function () {
        showCases(index);
      });
      buttons.push(button);
      htmlElement('td', variant.caseCount, row, 'num');
      htmlElement('td', variant.coveragePercent, row, 'num');
      htmlElement('td', variant.meanDuration, row, 'num');
      var runs = htmlElement('td', null, row, 'variant-runs');
      variant.runs.forEach(function (run, i) {
        if (i > 0) htmlElement('span', '→', runs, 'arrow');
        htmlElement('span', run, runs, 'run');
      });
    });

    function showCases(index) {
      var variant = variants.variants[index];
      buttons.forEach(function (button, i) {
        button.setAttribute('aria-pressed', i === index ? 'true' : 'false');
      });
      panel.textContent = '';
      htmlElement('h3', 'Cases of ' + variant.id, panel);
      var shownNote = variant.cases.length < Number(variant.caseCount.replace(/,/g, ''))
        ? 'The first ' + formatInteger(variant.cases.length) + ' of ' + variant.caseCount + ' cases (in log order).'
        : variant.caseCount + (variant.caseCount === '1' ? ' case.' : ' cases.');
      htmlElement('p', shownNote, panel, 'note');
      var table = htmlElement('table', null, htmlElement('div', null, panel, 'explorer-cases'), 'variant-case-table');
      var head = htmlElement('tr', null, htmlElement('thead', null, table));
      ['case', 'events', 'duration', 'start (UTC)', 'end (UTC)'].forEach(function (title) {
        htmlElement('th', title, head);
      });
      var body = htmlElement('tbody', null, table);
      variant.cases.forEach(function (item) {
        var row = htmlElement('tr', null, body);
        htmlElement('td', item[0], row);
        htmlElement('td', formatInteger(item[1]), row, 'num');
        htmlElement('td', item[2], row, 'num');
        htmlElement('td', item[3], row);
        htmlElement('td', item[4], row);
      });
    }
  }

  // Last, so every constant above is assigned before it is used.
  if (data.map && typeof dagre !== 'undefined') setUpMap(data.map);
  if (data.variants) setUpVariantExplorer(data.variants);
})();
