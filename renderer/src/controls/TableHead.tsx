/** A table's header row: one column header per name, and an "Actions" header when the rows carry controls. */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
        {actions ? <th scope="col">Actions</th> : null}
      </tr>
    </thead>
  );
}
