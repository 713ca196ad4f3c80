// OpenCIS's own page behaviours. The Content-Security-Policy allows no inline script, so every page's
// script lives here, switched on by data- attributes in the markup.
(function () {
    'use strict';

    // data-refocus: after htmx redraws part of the page, the marked field takes the caret again
    // (the mail batch's scan line: the next stub is scanned without reaching for the mouse).
    document.body.addEventListener('htmx:afterSettle', function () {
        const target = document.querySelector('[data-refocus]');
        if (target) { target.focus(); }
    });

    // .read-entry: keyboard-first route entry; Enter moves to the next meter instead of submitting.
    document.querySelectorAll('.read-entry').forEach(function (input, index, all) {
        input.addEventListener('keydown', function (event) {
            if (event.key === 'Enter') {
                event.preventDefault();
                if (index + 1 < all.length) { all[index + 1].focus(); all[index + 1].select(); }
                else { const post = document.getElementById('post-reads'); if (post) { post.focus(); } }
            }
        });
        if (index === 0) { input.focus(); }
    });

    // .go-to-line with data-line and data-target: a problem names its line; choosing it selects that line of the text.
    document.querySelectorAll('.go-to-line').forEach(function (button) {
        button.addEventListener('click', function () {
            const text = document.getElementById(button.dataset.target || 'policy-yaml');
            if (!text) { return; }
            const lines = text.value.split('\n');
            const line = Math.min(Math.max(parseInt(button.dataset.line, 10) || 1, 1), lines.length);
            const start = lines.slice(0, line - 1).reduce(function (sum, l) { return sum + l.length + 1; }, 0);
            text.focus();
            text.setSelectionRange(start, start + lines[line - 1].length);
            const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 20;
            text.scrollTop = Math.max(0, (line - 3) * lineHeight);
        });
    });

    // data-fill-target and data-fill-value on a button (also in content htmx swaps in): puts the value into the
    // target field, tells htmx it changed (the cashier's account box looks the account up), and focuses it.
    document.addEventListener('click', function (event) {
        const button = event.target.closest ? event.target.closest('[data-fill-target]') : null;
        if (!button) { return; }
        const target = document.getElementById(button.dataset.fillTarget);
        if (target) {
            target.value = button.dataset.fillValue;
            target.dispatchEvent(new Event('input', { bubbles: true }));
            target.focus();
        }
    });

    // Tables: one too wide for the screen scrolls inside its own box rather than pushing the page sideways, and
    // that box takes the keyboard's focus so it can be scrolled without a mouse.
    document.querySelectorAll('main table').forEach(function (table) {
        if (!table.closest('.table-responsive')) {
            const box = document.createElement('div');
            box.className = 'table-responsive';
            table.parentNode.insertBefore(box, table);
            box.appendChild(table);
        }
    });
    document.querySelectorAll('.table-responsive:not([tabindex])').forEach(function (box) {
        box.tabIndex = 0;
        if (!box.hasAttribute('role')) {
            const table = box.querySelector('table');
            const name = table && (table.getAttribute('aria-label') || (table.caption && table.caption.textContent) || table.id);
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', name ? 'Table ' + name.replace(/-/g, ' ') : 'Table');
        }
    });

    // select[data-autosubmit]: choosing an option submits its form.
    document.querySelectorAll('[data-autosubmit]').forEach(function (control) {
        control.addEventListener('change', function () { control.form.submit(); });
    });

    // input[data-check-all=selector]: ticks or clears every checkbox the selector names.
    document.querySelectorAll('[data-check-all]').forEach(function (box) {
        box.addEventListener('click', function () {
            document.querySelectorAll(box.dataset.checkAll).forEach(function (c) { c.checked = box.checked; });
        });
    });

    // canvas[data-usage-chart]: a bar chart of usage by bill, from the JSON in the attribute.
    document.querySelectorAll('canvas[data-usage-chart]').forEach(function (canvas) {
        const data = JSON.parse(canvas.dataset.usageChart);
        if (!window.Chart || data.labels.length === 0) { return; }
        new window.Chart(canvas, {
            type: 'bar',
            data: { labels: data.labels, datasets: [{ label: 'Usage (' + data.unit + ')', data: data.values, backgroundColor: '#0d6efd' }] },
            options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
        });
    });

    // canvas[data-trend-chart]: a trend (the trends dashboard, the finance aging, the account's balances) from the JSON in the
    // attribute: kind bar, stacked (bars stacked by series) or line; unit money (dollars), count or days; a series per dataset.
    // The canvas sits in a box of fixed height and the chart fills it, so it keeps its height on a phone.
    const palette = ['#0d6efd', '#198754', '#fd7e14', '#dc3545', '#6f42c1', '#20c997', '#6c757d'];
    const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
    document.querySelectorAll('canvas[data-trend-chart]').forEach(function (canvas) {
        const data = JSON.parse(canvas.dataset.trendChart);
        if (!window.Chart || data.labels.length === 0) { return; }
        const stacked = data.kind === 'stacked';
        const line = data.kind === 'line';
        const format = function (value) { return data.unit === 'money' ? dollars.format(value) : value.toLocaleString('en-US'); };
        new window.Chart(canvas, {
            type: line ? 'line' : 'bar',
            data: {
                labels: data.labels,
                datasets: data.series.map(function (series, index) {
                    const color = palette[index % palette.length];
                    return { label: series.name, data: series.values, backgroundColor: color, borderColor: color, spanGaps: false };
                })
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                    legend: { display: data.series.length > 1, position: 'bottom' },
                    tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + format(item.parsed.y); } } }
                },
                scales: {
                    x: { stacked: stacked },
                    y: { stacked: stacked, beginAtZero: true, ticks: { callback: function (value) { return format(value); } } }
                }
            }
        });
    });
})();
