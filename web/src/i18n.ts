/** UI text in English and Chinese. The chosen language also sets new sessions' language (the agent answers in it). */
const en = {
  skipToChat: 'Skip to chat',
  language: 'Language',
  projects: 'Projects',
  newProject: 'New project',
  projectName: 'Project name',
  projectNameHint: 'Project name (optional)',
  media: 'Media',
  upload: 'Upload',
  dropHint: 'Drop video, audio or image files here',
  preview: 'Preview',
  timeline: 'Timeline',
  undo: 'Undo',
  redo: 'Redo',
  export: 'Export',
  exportMp4: 'Export MP4',
  download: 'Download',
  shareLink: 'Share link',
  copyLink: 'Copy link',
  openShare: 'Open share page',
  chat: 'Chat',
  chatLabel: 'Tell the editor what to do',
  chatPlaceholder: 'e.g. trim the pauses, add captions',
  send: 'Send',
  emptyHint: 'Create a project or open one to start editing.',
  credits: (n: number) => `${n} credits`,
  untitled: 'Untitled project',
  emptyTimeline: 'Nothing on the timeline yet: upload a clip, then say what to do.',
  version: (v: number) => `version ${v}`,
  uploading: (name: string, pct: number) => `${name}: ${pct}%`,
  uploaded: (name: string) => `${name}: uploaded`,
  uploadFailed: (name: string, why: string) => `${name}: ${why}`,
  working: 'Working…',
  stillWorking: (s: number) => `Still working (${s} s)…`,
  previewIdle: 'The preview appears after the first edit.',
  previewRendering: (pct: number) => `Preparing the preview… ${pct}%`,
  previewReady: (v: number) => `Preview of version ${v}`,
  previewFailed: (why: string) => `No preview: ${why}`,
  rendering: (pct: number) => `Rendering… ${pct}%`,
  renderDone: 'Done: download it or share the link.',
  renderFailed: (why: string) => `The export failed: ${why}`,
  copied: 'Link copied',
  copyFailed: 'Select the link and copy it',
  undoWord: 'undo',
  redoWord: 'redo',
  networkError: 'The service could not be reached. Check the connection and try again.',
  register: 'Register to keep going',
  track: { 0: 'Video', 1: 'Audio', 7: 'Text' } as Record<number, string>,
  captions: 'Captions',
  transcript: 'Transcript',
  transcriptLabel: 'Words of the timeline: select a run to cut, restore or fix',
  analysing: (s: number) => `Still analysing (about ${s} s)…`,
  needsRequest: (name: string, credits: number) =>
    `${name} is long: ask the chat to "transcribe" it (${credits} credits)`,
  noWords: 'No words yet: upload a clip with speech.',
  cutLabel: 'cut',
  fillerLabel: 'filler',
  cutWords: 'Cut',
  restoreWords: 'Restore',
  selectHint: 'Click a word, shift-click another (on a phone: tap both), or use arrows, Shift+arrows, Enter.',
  selectedWords: (n: number) => `${n} word${n === 1 ? '' : 's'} selected`,
  cutDone: (n: number) => `Cut ${n} word${n === 1 ? '' : 's'}.`,
  restoredWords: (n: number) => `Restored ${n} word${n === 1 ? '' : 's'}.`,
  fixCaption: 'Fix caption text',
  fix: 'Fix',
  fixedCaption: (from: string, to: string) => `Captions: "${from}" is now "${to}".`,
  transcriptMoved: 'The draft changed meanwhile: the transcript is reloaded, nothing was edited. Try again.',
};

type Dict = typeof en;

const zh: Dict = {
  skipToChat: '跳到对话',
  language: '语言',
  projects: '项目',
  newProject: '新建项目',
  projectName: '项目名称',
  projectNameHint: '项目名称（可选）',
  media: '素材',
  upload: '上传',
  dropHint: '把视频、音频或图片拖到这里',
  preview: '预览',
  timeline: '时间线',
  undo: '撤销',
  redo: '重做',
  export: '导出',
  exportMp4: '导出 MP4',
  download: '下载',
  shareLink: '分享链接',
  copyLink: '复制链接',
  openShare: '打开分享页',
  chat: '对话',
  chatLabel: '告诉剪辑助手要做什么',
  chatPlaceholder: '例如：剪掉停顿，加字幕',
  send: '发送',
  emptyHint: '新建或打开一个项目开始剪辑。',
  credits: (n: number) => `${n} 积分`,
  untitled: '未命名项目',
  emptyTimeline: '时间线还是空的：先上传素材，再说要怎么剪。',
  version: (v: number) => `版本 ${v}`,
  uploading: (name: string, pct: number) => `${name}：${pct}%`,
  uploaded: (name: string) => `${name}：已上传`,
  uploadFailed: (name: string, why: string) => `${name}：${why}`,
  working: '处理中…',
  stillWorking: (s: number) => `仍在处理（${s} 秒）…`,
  previewIdle: '第一次编辑后会出现预览。',
  previewRendering: (pct: number) => `正在生成预览… ${pct}%`,
  previewReady: (v: number) => `版本 ${v} 的预览`,
  previewFailed: (why: string) => `无法预览：${why}`,
  rendering: (pct: number) => `正在渲染… ${pct}%`,
  renderDone: '完成：可以下载或分享链接。',
  renderFailed: (why: string) => `导出失败：${why}`,
  copied: '链接已复制',
  copyFailed: '请选中链接手动复制',
  undoWord: '撤销',
  redoWord: '重做',
  networkError: '无法连接服务，请检查网络后重试。',
  register: '注册以继续使用',
  track: { 0: '视频', 1: '音频', 7: '文字' },
  captions: '字幕',
  transcript: '文字稿',
  transcriptLabel: '时间线上的词：选中一段可剪掉、恢复或修改字幕',
  analysing: (s: number) => `仍在识别（约 ${s} 秒）…`,
  needsRequest: (name: string, credits: number) => `${name} 较长：请在对话里让助手"转写"它（${credits} 积分）`,
  noWords: '还没有文字：先上传有人声的素材。',
  cutLabel: '已剪掉',
  fillerLabel: '口头禅',
  cutWords: '剪掉',
  restoreWords: '恢复',
  selectHint: '点一个词，再按住 Shift 点另一个（手机上依次轻点两个词），或用方向键、Shift+方向键、回车。',
  selectedWords: (n: number) => `已选 ${n} 个词`,
  cutDone: (n: number) => `已剪掉 ${n} 个词。`,
  restoredWords: (n: number) => `已恢复 ${n} 个词。`,
  fixCaption: '修改字幕文字',
  fix: '修改',
  fixedCaption: (from: string, to: string) => `字幕："${from}"已改为"${to}"。`,
  transcriptMoved: '草稿刚被改动过：已重新加载文字稿，没有做任何修改。请再试一次。',
};

export type Lang = 'en' | 'zh';
const LANG_KEY = 'openedit.lang';

export let lang: Lang =
  (localStorage.getItem(LANG_KEY) as Lang | null) ?? (navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en');
export let t: Dict = lang === 'zh' ? zh : en;

/** Switches the language and rewrites every element marked with data-i18n / data-i18n-placeholder. */
export function setLang(next: Lang): void {
  lang = next;
  t = next === 'zh' ? zh : en;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const v = t[el.dataset.i18n as keyof Dict];
    if (typeof v === 'string') el.textContent = v;
  }
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-i18n-placeholder]')) {
    const v = t[el.dataset.i18nPlaceholder as keyof Dict];
    if (typeof v === 'string') el.placeholder = v;
  }
}
