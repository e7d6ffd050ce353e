import type { ReactNode } from 'react';

/** A page's heading line: title and one sentence of what it is for, actions on the right. */
export function PageTitle({
  title,
  description,
  extra,
}: {
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="mp-page-title">
      <div>
        <h1>{title}</h1>
        {description && <div className="mp-page-desc">{description}</div>}
      </div>
      {extra && <div>{extra}</div>}
    </div>
  );
}
