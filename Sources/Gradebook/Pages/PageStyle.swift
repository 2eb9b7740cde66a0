/// The one stylesheet and script the HTML pages embed, so each page is a single file.
enum PageStyle {
    static let css = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
        .summary td { padding: 0.1em 1em 0.1em 0; }
        .check { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; margin: 0.8em 0; }
        .check.passed { border-left: 6px solid #2a7; } .check.failed { border-left: 6px solid #c33; }
        .check.other { border-left: 6px solid #c80; }
        .badge { font-weight: bold; text-transform: uppercase; font-size: 0.8em; }
        .property { color: #c33; font-weight: bold; }
        pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
        code.replay { background: #eef; padding: 0.2em 0.4em; }
        table.schedule { border-collapse: collapse; font-size: 0.85em; }
        table.schedule th, table.schedule td { border: 1px solid #ddd; padding: 0.15em 0.5em; vertical-align: top; }
        table.schedule td.act { background: #eef6ff; font-family: monospace; }
        table.schedule tr.current td { outline: 2px solid #36c; }
        .stepper button { margin-right: 0.5em; }
        .bar { background: #36c; height: 1em; display: inline-block; vertical-align: middle; }
        table.rates td, table.rates th { padding: 0.1em 0.8em; text-align: left; }
        """

    /// Steps through a schedule table: the current row is outlined, the buttons move it.
    static let stepperScript = """
        document.querySelectorAll('.stepper').forEach(function (stepper) {
          var rows = stepper.querySelectorAll('tbody tr');
          var at = rows.length - 1;
          var label = stepper.querySelector('.position');
          function show() {
            rows.forEach(function (row, i) { row.classList.toggle('current', i === at); });
            if (label) { label.textContent = 'step ' + (at + 1) + ' of ' + rows.length; }
          }
          stepper.querySelector('.previous').addEventListener('click', function () { if (at > 0) { at--; show(); } });
          stepper.querySelector('.next').addEventListener('click', function () { if (at < rows.length - 1) { at++; show(); } });
          show();
        });
        """
}
