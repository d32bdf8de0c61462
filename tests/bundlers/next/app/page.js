'use client';
// The checks run in the browser, after hydration.
import { useEffect, useState } from 'react';
import { run } from '../src/app.js';

export default function Page() {
  const [text, setText] = useState('running');
  useEffect(() => {
    run().then((report) => {
      window.__report = report;
      document.title = report.ok ? 'done' : 'failed';
      setText(JSON.stringify(report));
    });
  }, []);
  return <pre>{text}</pre>;
}
