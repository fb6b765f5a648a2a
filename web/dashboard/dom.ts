/** Small DOM helpers: text only (never innerHTML with API data). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

export function cell(text: string, numeric = false): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "num";
  return td;
}

export function fillTable(tbody: HTMLTableSectionElement, rows: (string | Node)[][], numericColumns: number[] = []) {
  tbody.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement("tr");
      row.forEach((value, i) => {
        if (typeof value === "string") tr.append(cell(value, numericColumns.includes(i)));
        else {
          const td = document.createElement("td");
          td.append(value);
          tr.append(td);
        }
      });
      return tr;
    }),
  );
}

export function fillList(dl: HTMLElement, items: [string, string][]) {
  dl.replaceChildren(
    ...items.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

export function say(el: HTMLElement, text: string, error = false) {
  el.textContent = text;
  el.classList.toggle("error", error);
}

/** Reads an uploaded file into a textarea. */
export function wireUpload(input: HTMLInputElement, target: HTMLTextAreaElement) {
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (file) target.value = await file.text();
  });
}
