<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>ActionPalette</name>
    <message>
        <source>Type to find an action, Enter to log it</source>
        <translation>輸入以搜尋處置，按 Enter 記錄</translation>
    </message>
    <message>
        <source>Other actions</source>
        <translation>其他操作</translation>
    </message>
    <message>
        <source>Enter logs: {}</source>
        <translation>按 Enter 記錄：{}</translation>
    </message>
    <message>
        <source>No action matches “{}”</source>
        <translation>沒有符合「{}」的處置</translation>
    </message>
</context>
<context>
    <name>ArchiveBrowser</name>
    <message>
        <source>Search drills, scenarios, people, ids…</source>
        <translation>搜尋演練、情境、人員、編號…</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任何狀態</translation>
    </message>
    <message>
        <source>Trainee name or staff id</source>
        <translation>學員姓名或員工編號</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>參與者</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>評量類型</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開啟</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>繼續演練</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜尋</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>學員</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始時間</translation>
    </message>
    <message>
        <source>running</source>
        <translation>進行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中斷</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已結束</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已簽署</translation>
    </message>
    <message>
        <source>formative</source>
        <translation>形成性</translation>
    </message>
    <message>
        <source>summative</source>
        <translation>總結性</translation>
    </message>
    <message>
        <source>high-stakes</source>
        <translation>高風險</translation>
    </message>
    <message>
        <source>All scenarios</source>
        <translation>全部情境</translation>
    </message>
    <message>
        <source>{shown} of {total} drills</source>
        <translation>顯示 {shown} / 共 {total} 次演練</translation>
    </message>
    <message>
        <source>Only a drill interrupted by a crash can be resumed</source>
        <translation>只有因程式當機而中斷的演練才能繼續</translation>
    </message>
</context>
<context>
    <name>AttachVideoDialog</name>
    <message>
        <source>Attach a video to this drill</source>
        <translation>為本次演練加入影片</translation>
    </message>
    <message>
        <source>Mark one moment that the video and the drill both show — the drill start on the monitor, a clap, the call for help: put the video at that moment, then say when it happened on the drill clock.</source>
        <translation>標記影片和演練中都出現的一個時刻——監視器上的演練開始、一聲拍手、呼救：把影片停在該時刻，再指出它在演練時鐘上是何時。</translation>
    </message>
    <message>
        <source>File: {file}</source>
        <translation>檔案：{file}</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>−1 s</source>
        <translation>−1 秒</translation>
    </message>
    <message>
        <source>−0.1 s</source>
        <translation>−0.1 秒</translation>
    </message>
    <message>
        <source>+0.1 s</source>
        <translation>+0.1 秒</translation>
    </message>
    <message>
        <source>+1 s</source>
        <translation>+1 秒</translation>
    </message>
    <message>
        <source> s</source>
        <comment>a number of seconds</comment>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Seconds from the video&apos;s first frame</source>
        <translation>從影片第一格起的秒數</translation>
    </message>
    <message>
        <source>The drill&apos;s start ({t})</source>
        <translation>演練開始（{t}）</translation>
    </message>
    <message>
        <source>The drill&apos;s end ({t})</source>
        <translation>演練結束（{t}）</translation>
    </message>
    <message>
        <source>A drill time I type</source>
        <translation>手動輸入演練時間</translation>
    </message>
    <message>
        <source>Seconds since the drill started</source>
        <translation>演練開始後的秒數</translation>
    </message>
    <message>
        <source>e.g. room camera, phone at the bed&apos;s foot</source>
        <translation>例如：房間攝影機、床尾的手機</translation>
    </message>
    <message>
        <source>In the video at</source>
        <translation>影片中的時間</translation>
    </message>
    <message>
        <source>On the drill clock</source>
        <translation>演練時鐘上的時刻</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>{s} s: the video&apos;s first frame is at {t} of the drill</source>
        <translation>{s} 秒：影片第一格位於演練的 {t}</translation>
    </message>
    <message>
        <source>{s} s: the video started {t} before the drill</source>
        <translation>{s} 秒：影片比演練早 {t} 開始</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>標籤</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>No picture: Qt Multimedia is not installed (the PySide6-Addons package). Read the moment&apos;s time off any video player and type it below.</source>
        <translation>無畫面：未安裝 Qt Multimedia（PySide6-Addons 套件）。請用任意影片播放器讀出該時刻的時間，並在下方輸入。</translation>
    </message>
    <message>
        <source>No picture: {reason}. Type the moment&apos;s time in the video below; attaching checks that the file is a playable video.</source>
        <translation>無畫面：{reason}。請在下方輸入該時刻在影片中的時間；加入時會檢查檔案是否為可播放的影片。</translation>
    </message>
    <message>
        <source>Qt cannot play this file</source>
        <translation>Qt 無法播放此檔案</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>Checking and copying the video beside the archive… (a long recording takes a while)</source>
        <translation>正在檢查影片並複製到檔案庫旁…（較長的錄影需要一些時間）</translation>
    </message>
    <message>
        <source>Not attached: {reason}</source>
        <translation>未加入：{reason}</translation>
    </message>
</context>
<context>
    <name>BlockRatings</name>
    <message>
        <source>— not rated —</source>
        <translation>— 未評分 —</translation>
    </message>
    <message>
        <source>not observed</source>
        <translation>未觀察到</translation>
    </message>
</context>
<context>
    <name>BloodLossPanel</name>
    <message>
        <source>{0} mL</source>
        <translation>{0} mL</translation>
    </message>
</context>
<context>
    <name>CameraControl</name>
    <message>
        <source>Record camera</source>
        <translation>攝影機錄影</translation>
    </message>
    <message>
        <source>Record the room from a camera connected to this computer; the video is attached to the drill when it ends</source>
        <translation>用連接到本電腦的攝影機錄製現場；演練結束時影片附加到演練</translation>
    </message>
    <message>
        <source>Looking for a camera…</source>
        <translation>正在尋找攝影機…</translation>
    </message>
    <message>
        <source>No camera recording: this drill is not kept in an archive</source>
        <translation>無法錄影：此演練未保存在檔案庫中</translation>
    </message>
    <message>
        <source>No camera found (Qt Multimedia is not installed)</source>
        <translation>未找到攝影機（未安裝 Qt Multimedia）</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>未找到攝影機</translation>
    </message>
    <message>
        <source>Camera: {name}</source>
        <translation>攝影機：{name}</translation>
    </message>
    <message>
        <source>Cannot record: {reason}</source>
        <translation>無法錄影：{reason}</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在啟動攝影機…</translation>
    </message>
    <message>
        <source>Recording from {t:.0f} s of the drill</source>
        <translation>自演練第 {t:.0f} 秒起錄影</translation>
    </message>
    <message>
        <source>The camera stopped: {reason}</source>
        <translation>攝影機已停止：{reason}</translation>
    </message>
    <message>
        <source>Recording kept; it is attached to the drill when the drill ends</source>
        <translation>錄影已保存；演練結束時附加到演練</translation>
    </message>
    <message>
        <source>The recording was not attached ({reason}); it is kept at {file}</source>
        <translation>錄影未附加（{reason}）；保存在 {file}</translation>
    </message>
    <message>
        <source>Camera recording attached to the drill</source>
        <translation>攝影機錄影已附加到演練</translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <source>PAUSED</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>End drill…</source>
        <translation>結束演練…</translation>
    </message>
    <message>
        <source>Discard drill…</source>
        <translation>作廢演練…</translation>
    </message>
    <message>
        <source>Started by mistake? The drill is kept, marked discarded, and counts in no statistic.</source>
        <translation>誤開始的演練？演練將保留並標記為已作廢，不計入任何統計。</translation>
    </message>
    <message>
        <source>Go to state…</source>
        <translation>跳至狀態…</translation>
    </message>
    <message>
        <source>Manual transition:</source>
        <translation>手動切換：</translation>
    </message>
    <message>
        <source>Who did it</source>
        <translation>執行者</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>Keep this person for the next actions</source>
        <translation>後續操作保持此執行者</translation>
    </message>
    <message>
        <source>Show or hide the flags raised before the newest; every flag is also in the log and at the end of the drill</source>
        <translation>顯示或隱藏最新警示之前的警示；每條警示也記錄在日誌中並在演練結束時列出</translation>
    </message>
    <message>
        <source>Undo last action</source>
        <translation>復原上一個處置</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>生理監視器</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>心率</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>血壓</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>呼吸速率</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>體溫</translation>
    </message>
    <message>
        <source>Blood loss</source>
        <translation>出血量</translation>
    </message>
    <message>
        <source>Monitor window</source>
        <translation>監視器視窗</translation>
    </message>
    <message>
        <source>Show or hide the trainees&apos; patient monitor</source>
        <translation>顯示或隱藏學員看到的病人生理監視器</translation>
    </message>
    <message>
        <source>To screen 2</source>
        <translation>投到螢幕 2</translation>
    </message>
    <message>
        <source>Show the monitor full-screen on the other screen (a projector or a second display)</source>
        <translation>在另一個螢幕（投影機或第二顯示器）上全螢幕顯示監視器</translation>
    </message>
    <message>
        <source>Blank</source>
        <translation>黑屏</translation>
    </message>
    <message>
        <source>Black out the monitor (a pause, a prebrief); logged</source>
        <translation>讓監視器黑屏（暫停或模擬前說明時），會記錄在案</translation>
    </message>
    <message>
        <source>Show the calibrated blood-loss drape on the monitor, or hide it; logged</source>
        <translation>在監視器上顯示或隱藏失血計量單，會記錄在案</translation>
    </message>
    <message>
        <source>Note for the debrief</source>
        <translation>回饋討論備註</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>新增備註</translation>
    </message>
    <message>
        <source>Only one screen is connected</source>
        <translation>只連接了一個螢幕</translation>
    </message>
    <message>
        <source>Next action credited to: nobody (unassigned)</source>
        <translation>下一操作記在：無人（未指定）</translation>
    </message>
    <message>
        <source>Next action credited to: {who}</source>
        <translation>下一操作記在：{who}</translation>
    </message>
    <message>
        <source>Manual transition</source>
        <translation>手動切換</translation>
    </message>
    <message>
        <source>Move the drill to “{}” now? This is logged as the instructor&apos;s decision.</source>
        <translation>現在將演練切換至「{}」？此操作將記錄為指導者的決定。</translation>
    </message>
    <message>
        <source>End drill</source>
        <translation>結束演練</translation>
    </message>
    <message>
        <source>End the drill now? The clock stops for good.</source>
        <translation>現在結束演練？計時將永久停止。</translation>
    </message>
    <message>
        <source>Discard drill</source>
        <translation>作廢演練</translation>
    </message>
    <message>
        <source>Why is this drill discarded? (It stays in the archive, marked discarded, and counts in no indicator, portfolio or exam statistic.)</source>
        <translation>為何作廢此演練？（演練仍保留在檔案庫中並標記為已作廢，不計入任何指標、學員檔案或考試統計。）</translation>
    </message>
    <message>
        <source>Not discarded: write why the drill is discarded (a discard needs a reason).</source>
        <translation>未作廢：請寫明作廢此演練的理由（作廢須附理由）。</translation>
    </message>
    <message>
        <source>Not discarded: {reason}</source>
        <translation>未作廢：{reason}</translation>
    </message>
    <message>
        <source>The archive can be written again: everything kept in the journal is now in it.</source>
        <translation>檔案庫已恢復可寫：日誌中保存的所有紀錄現已寫入檔案庫。</translation>
    </message>
    <message>
        <source>The archive cannot be written now. Every action is kept safely in the journal beside it and will be written to the archive when it can:</source>
        <translation>檔案庫目前無法寫入。每項操作都已安全保存在檔案庫旁的日誌中，可寫入時將自動寫入檔案庫：</translation>
    </message>
    <message>
        <source>The archive and the journal beside it cannot be written now. Every action is kept safely in the journal in your data folder and will be written to the archive when it can:</source>
        <translation>檔案庫及其旁邊的日誌目前均無法寫入。每項操作都已安全保存在您的資料夾中的日誌裡，可寫入時將自動寫入檔案庫：</translation>
    </message>
    <message>
        <source>Nothing can be stored: the archive and its journals cannot be written. Actions are held in memory and NOT shown as logged until they are stored. Keep simtool open and free some disk space.</source>
        <translation>無法保存任何紀錄：檔案庫及其日誌均無法寫入。操作暫存於記憶體中，在保存之前不會顯示為已記錄。請保持 simtool 開啟並釋放磁碟空間。</translation>
    </message>
    <message>
        <source>{time}  {action}: {message}</source>
        <translation>{time}  {action}：{message}</translation>
    </message>
    <message>
        <source>Earlier flags: {n}</source>
        <translation>較早的警示：{n}</translation>
    </message>
    <message>
        <source>Phase: {}</source>
        <translation>階段：{}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <source>ENDED</source>
        <translation>已結束</translation>
    </message>
    <message>
        <source>Undo “{}”</source>
        <translation>復原「{}」</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Strike “{}”</source>
        <translation>刪除「{}」</translation>
    </message>
    <message>
        <source>Correct “{}”</source>
        <translation>更正「{}」</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>Who did it</source>
        <translation>執行者</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>劑量</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途徑</translation>
    </message>
    <message>
        <source>Drill time</source>
        <translation>演練時間</translation>
    </message>
    <message>
        <source>The action stays in the record, struck through, with your reason.</source>
        <translation>該操作仍保留在記錄中，以刪除線顯示並附上您的理由。</translation>
    </message>
    <message>
        <source>Why the record changes (required)</source>
        <translation>記錄更改的理由（必填）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Strike</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>The drill time must be written mm:ss.</source>
        <translation>演練時間須寫作 分:秒（mm:ss）。</translation>
    </message>
    <message>
        <source>Write why the record changes: a correction needs a reason.</source>
        <translation>請寫明記錄更改的理由：更正須附理由。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>未做任何更改。</translation>
    </message>
</context>
<context>
    <name>DateRange</name>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>DebriefView</name>
    <message>
        <source>{date} · {people} · {length} · blood loss {loss} mL</source>
        <translation>{date} · {people} · {length} · 出血量 {loss} mL</translation>
    </message>
    <message>
        <source>no participants</source>
        <translation>無參與者</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Next flag</source>
        <translation>下一個警示</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>心率</translation>
    </message>
    <message>
        <source>NIBP</source>
        <translation>非侵入性血壓</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>呼吸速率</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>體溫</translation>
    </message>
    <message>
        <source>Blood loss</source>
        <translation>出血量</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>HR (/min)</source>
        <translation>心率（次/分）</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>收縮壓（mmHg）</translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation>SpO₂（%）</translation>
    </message>
    <message>
        <source>Blood loss (mL, right axis)</source>
        <translation>出血量（mL，右軸）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>執行者</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細資料</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Event {n}, numbered on the chart</source>
        <translation>事件 {n}，已在圖中標號</translation>
    </message>
    <message>
        <source>The record&apos;s event number, as the score sheet&apos;s evidence and the safety threats give it; in bold, the actions and flags numbered on the chart</source>
        <translation>紀錄中的事件號，與評分表依據和安全隱患中的編號一致；粗體為圖中標號的操作和警示</translation>
    </message>
    <message>
        <source>No flags were raised in this drill.</source>
        <translation>本次演練未出現警示。</translation>
    </message>
    <message>
        <source>Go to the next flag</source>
        <translation>跳到下一個警示</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>At this moment</source>
        <translation>此時</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>最終</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成時間</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Reactions</source>
        <translation>情緒反應</translation>
    </message>
    <message>
        <source>How are you feeling? What was that like? (Let every participant vent first.)</source>
        <translation>你現在感覺如何？剛才的經驗如何？（先讓每位參與者充分抒發。）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Can someone summarise what the case was about and what happened?</source>
        <translation>誰能摘要說明這個案例的情況與經過？</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>What went well and why? What would you change? Learner self-assessment, focused facilitation, directive feedback where needed.</source>
        <translation>哪些做得好，為什麼？哪些需要改變？學員自我評估、聚焦引導，必要時給予指導性回饋。</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>總結</translation>
    </message>
    <message>
        <source>What are the take-home messages? What will you do differently next time?</source>
        <translation>主要學習重點是什麼？下次你會有什麼不同的做法？</translation>
    </message>
    <message>
        <source>Reflection (trainee, optional)</source>
        <translation>反思（學員，選填）</translation>
    </message>
    <message>
        <source>In the trainee&apos;s own words: what did you learn, and what will you do differently?</source>
        <translation>請學員用自己的話說：你學到了什麼？下次會有哪些不同的做法？</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>Notes are saved in the archive as you type.</source>
        <translation>備註會在輸入時自動儲存到檔案庫。</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>PEARLS debrief</source>
        <translation>PEARLS 回饋討論</translation>
    </message>
    <message>
        <source>Safety threats</source>
        <translation>安全威脅</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>生理監視器</translation>
    </message>
    <message>
        <source>Attach a video to this drill</source>
        <translation>為本次演練加入影片</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.mov *.m4v *.MP4 *.MOV);;All files (*)</source>
        <translation>影片 (*.mp4 *.mov *.m4v *.MP4 *.MOV);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>Notes could not be read: {reason}</source>
        <translation>無法讀取備註：{reason}</translation>
    </message>
    <message>
        <source>Notes not saved: {reason}</source>
        <translation>備註未儲存：{reason}</translation>
    </message>
    <message>
        <source>Notes saved.</source>
        <translation>備註已儲存。</translation>
    </message>
</context>
<context>
    <name>DoseDialog</name>
    <message>
        <source>not recorded</source>
        <translation>未記錄</translation>
    </message>
    <message>
        <source>Default: {} {}</source>
        <translation>預設：{} {}</translation>
    </message>
    <message>
        <source>For {} kg: {} {} ({} {}/kg)</source>
        <translation>以 {} kg 計：{} {}（{} {}/kg）</translation>
    </message>
    <message>
        <source>no conditions</source>
        <translation>無合併症</translation>
    </message>
    <message>
        <source>Patient: {weight} kg · {conditions}</source>
        <translation>病人：{weight} kg · {conditions}</translation>
    </message>
    <message>
        <source>Contraindicated for this patient ({conditions}). If it is logged, the drill flags it: “{message}”</source>
        <translation>此病人禁用（{conditions}）。若記錄此操作，演練將發出警示：「{message}」</translation>
    </message>
    <message>
        <source>So far: {dose} {unit}</source>
        <translation>已用：{dose} {unit}</translation>
    </message>
    <message>
        <source>with the drugs sharing its limit: {dose} {unit}</source>
        <translation>與共用限量的藥物合計：{dose} {unit}</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in one dose ({route})</source>
        <translation>單次最多 {dose} {unit}（{route}）</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in one dose</source>
        <translation>單次最多 {dose} {unit}</translation>
    </message>
    <message>
        <source>at most {dose} {unit} in all</source>
        <translation>累計最多 {dose} {unit}</translation>
    </message>
    <message>
        <source>Limit for this patient: {}</source>
        <translation>該病人限量：{}</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>劑量</translation>
    </message>
    <message>
        <source>{low} – {high} {unit}</source>
        <translation>{low} – {high} {unit}</translation>
    </message>
    <message>
        <source>up to {high} {unit}</source>
        <translation>最多 {high} {unit}</translation>
    </message>
    <message>
        <source>from {low} {unit}</source>
        <translation>至少 {low} {unit}</translation>
    </message>
    <message>
        <source>Usual single dose, any route: {}</source>
        <translation>常用單次劑量（任何途徑）：{}</translation>
    </message>
    <message>
        <source>Usual single dose: {}</source>
        <translation>常用單次劑量：{}</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途徑</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>記錄</translation>
    </message>
    <message>
        <source>Enter the dose given: a drug is logged with a dose above zero.</source>
        <translation>請輸入實際給藥劑量：藥物須以大於零的劑量記錄。</translation>
    </message>
</context>
<context>
    <name>EndOfDrillView</name>
    <message>
        <source>End of drill — {scenario}</source>
        <translation>演練結束——{scenario}</translation>
    </message>
    <message>
        <source>Final state: {state} · duration {t} · blood loss {loss} mL</source>
        <translation>最終狀態：{state} · 時長 {t} · 出血量 {loss} mL</translation>
    </message>
    <message>
        <source>⚠ Safety flags: {n}</source>
        <translation>⚠ 安全警示：{n}</translation>
    </message>
    <message>
        <source>Critical item missed: {}</source>
        <translation>未達成關鍵項：{}</translation>
    </message>
    <message>
        <source>{time}  {action}: {message}</source>
        <translation>{time}  {action}：{message}</translation>
    </message>
    <message>
        <source>✗ Critical items failed: {n}</source>
        <translation>✗ 關鍵項目未達標：{n}</translation>
    </message>
    <message>
        <source>Actions logged with nobody credited: {n} — correct them in the drill&apos;s log</source>
        <translation>未指定執行者的操作：{n}——請在演練記錄中更正</translation>
    </message>
    <message>
        <source>This drill was discarded: {reason}. It is kept in the archive and counts in no statistic.</source>
        <translation>此演練已作廢：{reason}。演練保留在檔案庫中，不計入任何統計。</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成時間</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>met</source>
        <translation>達標</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未達標</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未開始</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>未到達</translation>
    </message>
    <message>
        <source>Score…</source>
        <translation>評分…</translation>
    </message>
    <message>
        <source>No rubric chosen for this drill</source>
        <translation>本次演練未選擇評分表</translation>
    </message>
    <message>
        <source>Open debrief</source>
        <translation>開啟回饋討論</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>Process indicators</source>
        <translation>過程指標</translation>
    </message>
    <message>
        <source>Critical item failed: {action} given at {time}, against “{item}”</source>
        <translation>關鍵項目未達標：{time} 給予了{action}，違反「{item}」</translation>
    </message>
    <message>
        <source>Critical item failed: “{item}”</source>
        <translation>關鍵項目未達標：「{item}」</translation>
    </message>
    <message>
        <source>Scoring — {rubric}</source>
        <translation>評分——{rubric}</translation>
    </message>
</context>
<context>
    <name>ExamView</name>
    <message>
        <source>Start exam</source>
        <translation>開始考試</translation>
    </message>
    <message>
        <source>Start the exam clock now and record every sitting; the marking server counts its rounds from it</source>
        <translation>立即啟動考試計時並記錄每個考站場次；評分伺服器據此計算輪次</translation>
    </message>
    <message>
        <source>Close exam</source>
        <translation>結束考試</translation>
    </message>
    <message>
        <source>No more marks are taken</source>
        <translation>不再接收評分</translation>
    </message>
    <message>
        <source>Release results</source>
        <translation>公佈成績</translation>
    </message>
    <message>
        <source>Candidates may see their results; the results PDFs can be printed</source>
        <translation>考生可查看成績；可列印成績 PDF</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>列印…</translation>
    </message>
    <message>
        <source>The schedule per station and per candidate as a PDF</source>
        <translation>按考站和按考生的日程表（PDF）</translation>
    </message>
    <message>
        <source>OSCE exam day</source>
        <translation>OSCE 考試日</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>考試</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>考站</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>輪次</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始時間</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Competency</source>
        <translation>能力</translation>
    </message>
    <message>
        <source>Sampled by</source>
        <translation>考查該能力的考站</translation>
    </message>
    <message>
        <source>By station</source>
        <translation>按考站</translation>
    </message>
    <message>
        <source>By candidate</source>
        <translation>按考生</translation>
    </message>
    <message>
        <source>Blueprint</source>
        <translation>考試藍圖</translation>
    </message>
    <message>
        <source>Master clock</source>
        <translation>主計時器</translation>
    </message>
    <message>
        <source>Examiners join</source>
        <translation>考官加入</translation>
    </message>
    <message>
        <source>4 to 12 digits</source>
        <translation>4 至 12 位數字</translation>
    </message>
    <message>
        <source>Serve marking page</source>
        <translation>開啟評分頁面</translation>
    </message>
    <message>
        <source>Serve the examiners&apos; marking page on this address (starts the exam clock if it has not started)</source>
        <translation>在此位址開啟考官評分頁面（若考試計時尚未開始則同時開始）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>位址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>連接埠</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 碼</translation>
    </message>
    <message>
        <source>No exams in the archive (simtool exam create EXAM.yaml)</source>
        <translation>檔案庫中沒有考試（simtool exam create EXAM.yaml）</translation>
    </message>
    <message>
        <source>Started %1: times are on the exam clock</source>
        <translation>已於 %1 開始：時間按考試計時</translation>
    </message>
    <message>
        <source>Not started: times are planned from the file&apos;s start %1</source>
        <translation>尚未開始：時間按檔案中的開始時間 %1 規劃</translation>
    </message>
    <message>
        <source>Not started: times count from the start</source>
        <translation>尚未開始：時間自開始時計算</translation>
    </message>
    <message>
        <source>%1 rounds: reading %2, station %3, changeover %4. %5</source>
        <translation>共 %1 輪：閱讀 %2，考站 %3，換站 %4。%5</translation>
    </message>
    <message>
        <source>rest</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>no station samples it</source>
        <translation>沒有考站考查此項</translation>
    </message>
    <message>
        <source>Results released.</source>
        <translation>成績已公佈。</translation>
    </message>
    <message>
        <source>The exam is closed: no more marks are taken.</source>
        <translation>考試已結束：不再接收評分。</translation>
    </message>
    <message>
        <source>Examiners scan the code and enter the PIN. The same from the command line:</source>
        <translation>考官掃描 QR 碼並輸入 PIN 碼。命令列中的等效操作：</translation>
    </message>
    <message>
        <source>Give the exam a PIN of 4 to 12 digits first.</source>
        <translation>請先為考試設定 4 至 12 位數字的 PIN 碼。</translation>
    </message>
    <message>
        <source>Marking page served at %1 (examiners join with the PIN).</source>
        <translation>評分頁面已在 %1 開啟（考官憑 PIN 碼加入）。</translation>
    </message>
    <message>
        <source>Stop marking page</source>
        <translation>關閉評分頁面</translation>
    </message>
    <message>
        <source>The marking page is stopped.</source>
        <translation>評分頁面已關閉。</translation>
    </message>
    <message>
        <source>Start the exam clock now? It is written once and cannot be moved.</source>
        <translation>立即啟動考試計時？開始時間只記錄一次，不可更改。</translation>
    </message>
    <message>
        <source>Recording every sitting of the exam…</source>
        <translation>正在記錄考試的每個考站場次…</translation>
    </message>
    <message>
        <source>Close the exam? No more marks are taken.</source>
        <translation>結束考試？之後不再接收評分。</translation>
    </message>
    <message>
        <source>Release the results to the candidates?</source>
        <translation>向考生公佈成績？</translation>
    </message>
    <message>
        <source>Print schedule</source>
        <translation>列印日程表</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Schedule written to %1</source>
        <translation>日程表已寫入 %1</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>計畫開始</translation>
    </message>
    <message>
        <source>Starts in</source>
        <translation>距開始</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>閱讀時間</translation>
    </message>
    <message>
        <source>Station time</source>
        <translation>考站時間</translation>
    </message>
    <message>
        <source>Changeover</source>
        <translation>換站</translation>
    </message>
    <message>
        <source>Exam over</source>
        <translation>考試結束</translation>
    </message>
    <message>
        <source>Reading: read the task at the door</source>
        <translation>閱讀：在考站門口閱讀題目</translation>
    </message>
    <message>
        <source>Start: enter the station</source>
        <translation>開始：進入考站</translation>
    </message>
    <message>
        <source>One minute left</source>
        <translation>還剩一分鐘</translation>
    </message>
    <message>
        <source>Change: move to the next station</source>
        <translation>換站：前往下一個考站</translation>
    </message>
    <message>
        <source>The exam is over</source>
        <translation>考試已結束</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>尚未開始</translation>
    </message>
    <message>
        <source>Round %1 of %2</source>
        <translation>第 %1 輪，共 %2 輪</translation>
    </message>
</context>
<context>
    <name>ExpectedList</name>
    <message>
        <source>Expected action</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>{} left</source>
        <translation>剩餘 {}</translation>
    </message>
    <message>
        <source>done at {}</source>
        <translation>完成於 {}</translation>
    </message>
    <message>
        <source>by {}</source>
        <translation>期限 {}</translation>
    </message>
</context>
<context>
    <name>ExportBar</name>
    <message>
        <source>Export score sheet…</source>
        <translation>匯出評分表…</translation>
    </message>
    <message>
        <source>Export debrief PDF…</source>
        <translation>匯出回饋討論 PDF…</translation>
    </message>
    <message>
        <source>Key frames from the video</source>
        <translation>影片關鍵畫面</translation>
    </message>
    <message>
        <source>Put the video&apos;s picture at each flag beside it in the debrief PDF (needs a video attached to the drill)</source>
        <translation>在回饋討論 PDF 中每條警示旁放入該時刻的影片畫面（需為演練附加影片）</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>匯出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 檔案 (*.pdf)</translation>
    </message>
    <message>
        <source>{file} already exists. Replace it?</source>
        <translation>{file} 已存在。要取代它嗎？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在產生 PDF…</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已儲存 {file}</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>匯出失敗：{reason}</translation>
    </message>
</context>
<context>
    <name>IndicatorChart</name>
    <message>
        <source>Click a quarter to list its drills that missed the target</source>
        <translation>點選某一季，列出該季未達標的演練</translation>
    </message>
    <message>
        <source>no compliance target</source>
        <translation>無達標率目標</translation>
    </message>
    <message>
        <source>compliance target &gt; %1 %</source>
        <translation>達標率目標 &gt; %1%</translation>
    </message>
    <message>
        <source>No drills in this range</source>
        <translation>此範圍內沒有演練</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>目標 %1</translation>
    </message>
    <message>
        <source>too few drills</source>
        <translation>演練次數過少</translation>
    </message>
    <message>
        <source>none done</source>
        <translation>皆未完成</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不適用</translation>
    </message>
    <message>
        <source>median (line), p25–p75 (band), compliance and n under each quarter</source>
        <translation>中位數（線）、p25–p75（帶），各季度下方為達標率與 n</translation>
    </message>
</context>
<context>
    <name>LabCard</name>
    <message>
        <source>Laboratory</source>
        <translation>檢驗</translation>
    </message>
    <message>
        <source>Send labs</source>
        <translation>送檢</translation>
    </message>
    <message>
        <source>Log a blood sample sent for the full panel; the results come back after the scenario&apos;s turnaround time</source>
        <translation>記錄一份送檢的全套血液檢體；結果於本情境設定的回報時間後返回</translation>
    </message>
    <message>
        <source>{back} (sample of {drawn})</source>
        <translation>{back}（{drawn}送檢）</translation>
    </message>
    <message>
        <source>sample of {drawn}, due {due}</source>
        <translation>{drawn}送檢，預計{due}回報</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>尚無結果</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新載入</translation>
    </message>
    <message>
        <source>Read and check every file again (F5)</source>
        <translation>重新讀取並檢查所有檔案（F5）</translation>
    </message>
    <message>
        <source>Select a scenario to see what it teaches and to run it.</source>
        <translation>選擇一個情境，檢視其教學內容並執行。</translation>
    </message>
    <message>
        <source>The folder could not be read: {error}</source>
        <translation>無法讀取該資料夾：{error}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Scenarios&lt;/b&gt; in {folder}</source>
        <translation>{folder} 中的&lt;b&gt;情境&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Action catalogue ({file})</source>
        <translation>處置目錄（{file}）</translation>
    </message>
    <message>
        <source>Checking {n} files…</source>
        <translation>正在檢查 {n} 個檔案…</translation>
    </message>
    <message>
        <source>Folder not found.</source>
        <translation>找不到資料夾。</translation>
    </message>
    <message>
        <source>No scenario files (*.yaml) in this folder.</source>
        <translation>此資料夾中沒有情境檔案（*.yaml）。</translation>
    </message>
    <message>
        <source>{valid} of {n} files valid</source>
        <translation>{n} 個檔案中 {valid} 個有效</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在檢查…</translation>
    </message>
    <message>
        <source>valid · {n} actions</source>
        <translation>有效 · {n} 項處置</translation>
    </message>
    <message>
        <source>not a scenario</source>
        <translation>不是情境檔案</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>1 problem</source>
        <translation>1 個問題</translation>
    </message>
    <message>
        <source>{n} problems</source>
        <translation>{n} 個問題</translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation>正在檢查 {file}…</translation>
    </message>
    <message>
        <source>{count} in {file}</source>
        <translation>{file} 中有 {count}</translation>
    </message>
    <message>
        <source>This scenario cannot be run until they are fixed.</source>
        <translation>修正這些問題之前無法執行此情境。</translation>
    </message>
    <message>
        <source>Every scenario that uses this catalogue is invalid until they are fixed.</source>
        <translation>修正這些問題之前，使用此目錄的所有情境皆無效。</translation>
    </message>
    <message>
        <source>Each line reads FILE:LINE: field: message, exactly as “simtool validate” prints it. Fix the file, then press Reload.</source>
        <translation>每行格式為 檔案:行號: 欄位: 訊息，與「simtool validate」的輸出完全相同。修改檔案後按「重新載入」。</translation>
    </message>
</context>
<context>
    <name>LiveFlow</name>
    <message>
        <source>Resume interrupted drill?</source>
        <translation>繼續已中斷的演練？</translation>
    </message>
    <message>
        <source>A drill of {scenario} started {started} ({people}) was interrupted. Carry on with it?</source>
        <translation>於 {started} 開始的「{scenario}」演練（{people}）已中斷。是否繼續？</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>執行者</translation>
    </message>
    <message>
        <source>What</source>
        <translation>內容</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Strike…</source>
        <translation>刪除…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>記錄</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>指導者</translation>
    </message>
    <message>
        <source>{role}: {name}</source>
        <translation>{role}：{name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>Note: {}</source>
        <translation>備註：{}</translation>
    </message>
    <message>
        <source>Moved to “{}”</source>
        <translation>切換至「{}」</translation>
    </message>
    <message>
        <source>Drill ended</source>
        <translation>演練結束</translation>
    </message>
    <message>
        <source>Blood-loss drape shown</source>
        <translation>已顯示失血計量</translation>
    </message>
    <message>
        <source>Blood-loss drape hidden</source>
        <translation>已隱藏失血計量</translation>
    </message>
    <message>
        <source>Monitor blanked</source>
        <translation>監視器黑屏</translation>
    </message>
    <message>
        <source>Monitor shown again</source>
        <translation>監視器恢復顯示</translation>
    </message>
    <message>
        <source>{n} flags</source>
        <translation>{n} 項警示</translation>
    </message>
    <message>
        <source>struck</source>
        <translation>已刪除</translation>
    </message>
    <message>
        <source>corrected</source>
        <translation>已更正</translation>
    </message>
    <message>
        <source>Logged at {time}: {what}</source>
        <translation>{time} 記錄：{what}</translation>
    </message>
    <message>
        <source>{what} at {time} by {who}: {why}</source>
        <translation>{time} 由 {who} {what}：{why}</translation>
    </message>
    <message>
        <source>Struck</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>更正</translation>
    </message>
</context>
<context>
    <name>LogbookEntryDialog</name>
    <message>
        <source>Add logbook entry</source>
        <translation>新增病例登記</translation>
    </message>
    <message>
        <source>Staff id of the supervisor</source>
        <translation>上級醫師工號</translation>
    </message>
    <message>
        <source>Anonymous, e.g. C-0142: no name, no record number</source>
        <translation>匿名，例如 C-0142：不得填寫姓名或病歷號</translation>
    </message>
    <message>
        <source>None, or what happened</source>
        <translation>無，或所發生的情況</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>級別</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>上級醫師</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院區</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例編號（匿名）</translation>
    </message>
    <message>
        <source>Complications</source>
        <translation>併發症</translation>
    </message>
    <message>
        <source>The entry counts once the supervisor countersigns it.</source>
        <translation>上級醫師簽字確認後，該登記才計入。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Start live drill…</source>
        <translation>開始即時演練…</translation>
    </message>
    <message>
        <source>Set up the team and run the selected scenario live, with the patient monitor and the archive</source>
        <translation>設定團隊並即時執行所選情境，同時使用病人生理監視器與檔案庫</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>檔案庫</translation>
    </message>
    <message>
        <source>Every recorded drill: open its debrief, resume an interrupted one</source>
        <translation>所有已記錄的演練：開啟回饋討論，或繼續已中斷的演練</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Department indicators by quarter, against their targets</source>
        <translation>科別各季指標及其目標</translation>
    </message>
    <message>
        <source>PDCA</source>
        <translation>PDCA</translation>
    </message>
    <message>
        <source>The quarter&apos;s quality cycle: indicators, safety threats, corrective actions and the decision</source>
        <translation>本季度品質循環：指標、安全威脅、改進措施與決定</translation>
    </message>
    <message>
        <source>Portfolio</source>
        <translation>學習歷程</translation>
    </message>
    <message>
        <source>One trainee&apos;s drills, times and scores over time</source>
        <translation>單一學員歷次的演練、時間與分數</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>培訓進度</translation>
    </message>
    <message>
        <source>One trainee against a training programme: requirements done and missing, cleared to work</source>
        <translation>單個學員對照培訓方案：已完成和尚缺的要求，是否准予上崗</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>考站</translation>
    </message>
    <message>
        <source>Skills stations: score a candidate at a timed station</source>
        <translation>技能考站：為計時考站中的考生評分</translation>
    </message>
    <message>
        <source>Exam day</source>
        <translation>考試日</translation>
    </message>
    <message>
        <source>OSCE exam day: schedule, join code, master clock, start, close and release</source>
        <translation>OSCE 考試日：日程、加入碼、主計時器、開始、結束與公佈成績</translation>
    </message>
    <message>
        <source>Real case…</source>
        <translation>真實病例…</translation>
    </message>
    <message>
        <source>Enter a real case&apos;s timeline after the event: judged by the same indicators, reported beside the drills</source>
        <translation>事後錄入真實病例的時間線：按相同指標評判，與演練並列報告</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>情境庫</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新載入</translation>
    </message>
    <message>
        <source>Read and check every scenario file again</source>
        <translation>重新讀取並檢查所有情境檔案</translation>
    </message>
    <message>
        <source>Open scenarios folder…</source>
        <translation>開啟情境資料夾…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>結束</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具列</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>語言：</translation>
    </message>
    <message>
        <source>Language of the interface and of the scenario texts</source>
        <translation>介面與情境文字的語言</translation>
    </message>
    <message>
        <source>A drill is under way: its console is shown again. End it before starting another.</source>
        <translation>有一場演練正在進行：已重新顯示其控制台。請先結束它，再開始新的演練。</translation>
    </message>
    <message>
        <source>Select a valid scenario first.</source>
        <translation>請先選擇一個有效的情境。</translation>
    </message>
    <message>
        <source>Open a scenarios folder</source>
        <translation>開啟情境資料夾</translation>
    </message>
    <message>
        <source>Played {minutes} min of drill time.</source>
        <translation>已執行 {minutes} 分鐘演練時間。</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override: {item}</source>
        <translation>人工覆寫：{item}</translation>
    </message>
    <message>
        <source>Keep the automatic result ({status})</source>
        <translation>保留自動結果（{status}）</translation>
    </message>
    <message>
        <source>Why the record&apos;s result is wrong here (required, kept with the sheet)</source>
        <translation>說明記錄結果為何有誤（必填，隨評分表保存）</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>write the reason the record&apos;s result is wrong here</source>
        <translation>請填寫理由：說明記錄結果為何有誤</translation>
    </message>
    <message>
        <source>This override cannot be kept: {why}</source>
        <translation>無法保存此覆寫：{why}</translation>
    </message>
</context>
<context>
    <name>PatientMonitor</name>
    <message>
        <source>Patient monitor</source>
        <translation>病人生理監視器</translation>
    </message>
    <message>
        <source>ECG II</source>
        <translation>ECG II</translation>
    </message>
    <message>
        <source>Pleth</source>
        <translation>脈搏波</translation>
    </message>
    <message>
        <source>CO₂</source>
        <translation>CO₂</translation>
    </message>
    <message>
        <source>HR</source>
        <translation>HR</translation>
    </message>
    <message>
        <source>bpm</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>EtCO₂</source>
        <translation>EtCO₂</translation>
    </message>
    <message>
        <source>mmHg</source>
        <translation>mmHg</translation>
    </message>
    <message>
        <source>RR</source>
        <translation>RR</translation>
    </message>
    <message>
        <source>rpm</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>NIBP</source>
        <translation>NIBP</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>體溫</translation>
    </message>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>Blood loss · calibrated drape</source>
        <translation>出血量 · 刻度集血袋</translation>
    </message>
    <message>
        <source>SOUND OFF</source>
        <translation>聲音關閉</translation>
    </message>
    <message>
        <source>Alarm tones are not available: {0}</source>
        <translation>無法播放警報音：{0}</translation>
    </message>
    <message>
        <source>NIBP now (N)</source>
        <translation>立即量血壓（N）</translation>
    </message>
    <message>
        <source>Measure the blood pressure now</source>
        <translation>立即量測非侵入性血壓</translation>
    </message>
    <message>
        <source>Silence 2 min (S)</source>
        <translation>靜音 2 分鐘（S）</translation>
    </message>
    <message>
        <source>Pause the alarm tones for two minutes; the alarms keep flashing</source>
        <translation>警報音暫停兩分鐘；警報仍會閃爍</translation>
    </message>
    <message>
        <source>at {0}</source>
        <translation>於 {0}</translation>
    </message>
    <message>
        <source>every {0} min</source>
        <translation>每 {0} 分鐘</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手動</translation>
    </message>
    <message>
        <source>Sinus</source>
        <translation>竇性心律</translation>
    </message>
    <message>
        <source>Sinus tachy</source>
        <translation>竇性心搏過速</translation>
    </message>
    <message>
        <source>Sinus brady</source>
        <translation>竇性心搏過緩</translation>
    </message>
    <message>
        <source>Wide QRS</source>
        <translation>寬QRS波</translation>
    </message>
    <message>
        <source>V-Tach</source>
        <translation>心室頻脈</translation>
    </message>
    <message>
        <source>V-Fib</source>
        <translation>心室顫動</translation>
    </message>
    <message>
        <source>Asystole</source>
        <translation>心搏停止</translation>
    </message>
    <message>
        <source>NIBP sys</source>
        <translation>非侵入性收縮壓</translation>
    </message>
    <message>
        <source>NIBP dia</source>
        <translation>非侵入性舒張壓</translation>
    </message>
    <message>
        <source>NIBP mean</source>
        <translation>非侵入性平均壓</translation>
    </message>
    <message>
        <source>{0} high</source>
        <translation>{0} 過高</translation>
    </message>
    <message>
        <source>{0} low</source>
        <translation>{0} 過低</translation>
    </message>
    <message>
        <source>AUDIO PAUSED {0}</source>
        <translation>警報音暫停 {0}</translation>
    </message>
</context>
<context>
    <name>PdcaView</name>
    <message>
        <source>Whole archive</source>
        <translation>整個檔案庫</translation>
    </message>
    <message>
        <source>PDCA quality cycle</source>
        <translation>PDCA 品質循環</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Check: indicators against their targets</source>
        <translation>檢查（C）：指標與目標對比</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>措施</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>負責人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>完成期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演練</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>類別</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>風險</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>發現的問題</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>Plan and do: corrective actions</source>
        <translation>計畫與執行（P/D）：改進措施</translation>
    </message>
    <message>
        <source>Latent safety threats found this quarter</source>
        <translation>本季度發現的潛在安全威脅</translation>
    </message>
    <message>
        <source>Standardise: adopt the change as the standard</source>
        <translation>標準化：將改進納入標準流程</translation>
    </message>
    <message>
        <source>Start another PDCA cycle</source>
        <translation>開始新一輪 PDCA 循環</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Choose the decision</source>
        <translation>請選擇決定</translation>
    </message>
    <message>
        <source>What was decided, and why</source>
        <translation>決定內容及理由</translation>
    </message>
    <message>
        <source>Record decision</source>
        <translation>記錄決定</translation>
    </message>
    <message>
        <source>Act: the decision</source>
        <translation>處理（A）：決定</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>決定</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>The quarter could not be read: {reason}</source>
        <translation>無法讀取該季度：{reason}</translation>
    </message>
    <message>
        <source>Target per drill</source>
        <translation>單次演練目標</translation>
    </message>
    <message>
        <source>Target share</source>
        <translation>達標率目標</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>變化</translation>
    </message>
    <message>
        <source>No ended drill in these quarters: no indicator to check.</source>
        <translation>這幾個季度沒有已結束的演練：無指標可檢查。</translation>
    </message>
    <message>
        <source>Alerts in {q}:</source>
        <translation>{q} 預警：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>Below target in {q}:</source>
        <translation>{q} 低於目標：</translation>
    </message>
    <message>
        <source>{open} open, {overdue} overdue, {done} done</source>
        <translation>進行中 {open} 項，已逾期 {overdue} 項，已完成 {done} 項</translation>
    </message>
    <message>
        <source>No decision recorded for {q} yet.</source>
        <translation>{q} 尚未記錄決定。</translation>
    </message>
    <message>
        <source>drill %1</source>
        <translation>演練 %1</translation>
    </message>
    <message>
        <source>Not recorded: choose the decision first.</source>
        <translation>未記錄：請先選擇決定。</translation>
    </message>
    <message>
        <source>Not recorded: {reason}</source>
        <translation>未記錄：{reason}</translation>
    </message>
    <message>
        <source>Decision recorded.</source>
        <translation>決定已記錄。</translation>
    </message>
</context>
<context>
    <name>PrebriefView</name>
    <message>
        <source>Objectives</source>
        <translation>學習目標</translation>
    </message>
    <message>
        <source>Briefing</source>
        <translation>簡報</translation>
    </message>
    <message>
        <source>Weight: {} kg</source>
        <translation>體重：{} kg</translation>
    </message>
    <message>
        <source>Conditions: {}</source>
        <translation>合併症：{}</translation>
    </message>
    <message>
        <source>none known</source>
        <translation>無已知合併症</translation>
    </message>
    <message>
        <source>Course: {}</source>
        <translation>病程：{}</translation>
    </message>
    <message>
        <source>The patient</source>
        <translation>病人情況</translation>
    </message>
    <message>
        <source>No timed actions.</source>
        <translation>無計時處置。</translation>
    </message>
    <message>
        <source>Scoring sheet: {}</source>
        <translation>評分表：{}</translation>
    </message>
    <message>
        <source>You will be assessed on</source>
        <translation>評量內容</translation>
    </message>
    <message>
        <source>This drill is assessed ({kind}). The checklist is with the examiner.</source>
        <translation>本次演練為考核（{kind}）。評分清單由考官掌握。</translation>
    </message>
    <message>
        <source>summative</source>
        <translation>總結性</translation>
    </message>
    <message>
        <source>high-stakes</source>
        <translation>高風險</translation>
    </message>
    <message>
        <source>Show the checklist (instructor only)</source>
        <translation>顯示評分清單（僅限指導者）</translation>
    </message>
    <message>
        <source>Start drill</source>
        <translation>開始演練</translation>
    </message>
    <message>
        <source>Back to setup</source>
        <translation>返回設定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back to the scenario library; no drill is started</source>
        <translation>返回情境庫；不會開始演練</translation>
    </message>
</context>
<context>
    <name>QualityDashboard</name>
    <message>
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演練次數</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位數</translation>
    </message>
    <message>
        <source>p25–p75</source>
        <translation>p25–p75</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>達標率</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Drills that missed a target</source>
        <translation>未達標的演練</translation>
    </message>
    <message>
        <source>Show all quarters</source>
        <translation>顯示所有季</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>Count only the drills run at this hospital</source>
        <translation>只統計在該醫院進行的演練</translation>
    </message>
    <message>
        <source>A quarter with fewer drills than this shows no median or compliance, and no trend is drawn through it</source>
        <translation>演練次數少於此數的季度不顯示中位數與達標率，趨勢線也不經過該季度</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科別</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>團隊</translation>
    </message>
    <message>
        <source>Drill calendar</source>
        <translation>演練日曆</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Next due</source>
        <translation>下次到期</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演練</translation>
    </message>
    <message>
        <source>Min. drills</source>
        <translation>最少演練次數</translation>
    </message>
    <message>
        <source>By quarter</source>
        <translation>依季</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Last done</source>
        <translation>上次完成</translation>
    </message>
    <message>
        <source>By period</source>
        <translation>按期間</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>全部院區</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部科別</translation>
    </message>
    <message>
        <source>%1: compliance below its target (&gt; %2 %) in %3 and %4 (%5 → %6)</source>
        <translation>%1：%3 與 %4 達標率連續低於目標（&gt; %2%）（%5 → %6）</translation>
    </message>
    <message>
        <source>%1: median time above its target (%2) in %3 and %4 (%5 → %6)</source>
        <translation>%1：%3 與 %4 中位時間連續超過目標（%2）（%5 → %6）</translation>
    </message>
    <message>
        <source>%1: compliance fell %2 points from %3 to %4 (%5 → %6)</source>
        <translation>%1：達標率自 %3 至 %4 下降 %2 個百分點（%5 → %6）</translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n 條預警</numerusform>
        </translation>
    </message>
    <message>
        <source>… and %1 more (hover to see them all)</source>
        <translation>……另有 %1 條（懸停查看全部）</translation>
    </message>
    <message>
        <source>An alert: an indicator below its compliance target, or its median time above its target, in two consecutive periods, or its compliance falling by more than %1 points from one period to the next.</source>
        <translation>預警：某指標連續兩個週期達標率低於目標或中位時間超過目標，或達標率較上一週期下降超過 %1 個百分點。</translation>
    </message>
    <message numerus="yes">
        <source>%n drill(s) in the range</source>
        <translation>
            <numerusform>範圍內共 %n 次演練</numerusform>
        </translation>
    </message>
    <message>
        <source>No ended drills in this range</source>
        <translation>此範圍內沒有已結束的演練</translation>
    </message>
    <message>
        <source>A skills station has no process indicators: its sittings are marked on score sheets (see the trainee&apos;s portfolio and progress).</source>
        <translation>技能考站沒有過程指標：考站成績記錄在評分表上（見學員的學習檔案和培訓進度）。</translation>
    </message>
    <message>
        <source>This scenario has no process indicators to chart.</source>
        <translation>此情境沒有可繪製的過程指標。</translation>
    </message>
    <message>
        <source>%1 % (%2 of %3)</source>
        <translation>%1 %（%3 次中 %2 次）</translation>
    </message>
    <message>
        <source>too few drills (n=%1)</source>
        <translation>演練次數過少（n=%1）</translation>
    </message>
    <message>
        <source>%1 per drill; &gt; %2 % of drills</source>
        <translation>每次演練 %1；達標演練比例 &gt; %2%</translation>
    </message>
    <message>
        <source>%1 per drill; no compliance target</source>
        <translation>每次演練 %1；無達標率目標</translation>
    </message>
    <message>
        <source>Source of the compliance target: %1</source>
        <translation>達標率目標來源：%1</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>未給出</translation>
    </message>
    <message>
        <source>Drills that missed a target (%1)</source>
        <translation>未達標的演練（%1）</translation>
    </message>
    <message>
        <source>Drills that missed: %1, %2 (%3)</source>
        <translation>未達標的演練：%1，%2（%3）</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Double-click to open the drill&apos;s debrief</source>
        <translation>雙擊開啟該演練的回饋討論</translation>
    </message>
    <message>
        <source>Drill calendar: %1 due or overdue</source>
        <translation>演練日曆：%1 項到期或逾期</translation>
    </message>
    <message>
        <source>Drills the training programmes require of each department and site. Due: within a month of the next due day; overdue: past it, or never done. Discarded drills do not count.</source>
        <translation>培訓方案要求各科室和院區進行的演練。到期：距下次到期日一個月以內；逾期：已過到期日或從未進行。已作廢的演練不計入。</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>%1 (no site)</source>
        <translation>%1（未記錄院區）</translation>
    </message>
    <message>
        <source>Drills recorded without a site are counted apart from the department&apos;s drills at a site: record the site when a drill starts.</source>
        <translation>未記錄院區的演練與該科室在院區的演練分開統計：請在演練開始時填寫院區。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>last done %1</source>
        <translation>上次進行 %1</translation>
    </message>
    <message>
        <source>never done</source>
        <translation>從未進行</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <source>%1 — every %2 months (%3); %4</source>
        <translation>%1——每 %2 個月（%3）；%4</translation>
    </message>
    <message>
        <source>The drill calendar cannot be shown: %1</source>
        <translation>無法顯示演練日曆：%1</translation>
    </message>
    <message>
        <source>No drill is due or overdue.</source>
        <translation>沒有到期或逾期的演練。</translation>
    </message>
    <message>
        <source>Not tracked (the programme names no scenario for it): %1, every %2 months</source>
        <translation>未追蹤（培訓方案未指定情境）：%1，每 %2 個月</translation>
    </message>
</context>
<context>
    <name>RealCaseView</name>
    <message>
        <source>Real case</source>
        <translation>真實病例</translation>
    </message>
    <message>
        <source>A real case&apos;s timeline, entered after the event: judged by the scenario&apos;s indicators (listed below, case by case), never counted as a drill. No names: who acted is a role, and the case reference must be anonymous.</source>
        <translation>真實病例的時間線，事後錄入：按情境的指標評判（下方逐例列出），從不計為演練。不記錄姓名：執行者為角色，病例編號必須匿名。</translation>
    </message>
    <message>
        <source>e.g. PPH-2025-014 (made up if left empty)</source>
        <translation>例如 PPH-2025-014（留空則自動產生）</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院區</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例編號（匿名）</translation>
    </message>
    <message>
        <source>Time (m:ss)</source>
        <translation>時間（分:秒）</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>劑量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>單位</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途徑</translation>
    </message>
    <message>
        <source>By (role)</source>
        <translation>執行者（角色）</translation>
    </message>
    <message>
        <source>Add action</source>
        <translation>新增操作</translation>
    </message>
    <message>
        <source>Remove action</source>
        <translation>刪除操作</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>匯入檔案…</translation>
    </message>
    <message>
        <source>A timeline in a drill script&apos;s shape: YAML, or CSV with the columns t, action, dose, unit, route, by</source>
        <translation>演練腳本格式的時間線：YAML，或含 t、action、dose、unit、route、by 欄的 CSV</translation>
    </message>
    <message>
        <source>Keep case</source>
        <translation>儲存病例</translation>
    </message>
    <message>
        <source>Indicators met</source>
        <translation>達標指標</translation>
    </message>
    <message>
        <source>Withdraw case…</source>
        <translation>撤銷病例…</translation>
    </message>
    <message>
        <source>A case entered by mistake: kept in the record, counted nowhere; enter it again correctly</source>
        <translation>誤錄的病例：保留在紀錄中，不計入任何統計；請重新正確錄入</translation>
    </message>
    <message>
        <source>Timeline (times from the start of the case)</source>
        <translation>時間線（自病例開始計時）</translation>
    </message>
    <message>
        <source>Real cases kept, each with its indicators met (hover over a row for each indicator). The Quality and PDCA pages count drills only, not real cases.</source>
        <translation>已保存的真實病例及其達標指標（將滑鼠停在列上查看各指標）。品質和 PDCA 頁面只統計演練，不含真實病例。</translation>
    </message>
    <message>
        <source>%1: did not apply</source>
        <translation>%1：不適用</translation>
    </message>
    <message>
        <source>%1: not done (target %2)</source>
        <translation>%1：未完成（目標 %2）</translation>
    </message>
    <message>
        <source>%1: %2 (target %3) — %4</source>
        <translation>%1：%2（目標 %3）— %4</translation>
    </message>
    <message>
        <source>met</source>
        <translation>達標</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未達標</translation>
    </message>
    <message>
        <source>No scenario with indicators was found.</source>
        <translation>未找到含指標的情境。</translation>
    </message>
    <message>
        <source>Import a real case&apos;s timeline</source>
        <translation>匯入真實病例時間線</translation>
    </message>
    <message>
        <source>Timelines (*.yaml *.yml *.csv)</source>
        <translation>時間線 (*.yaml *.yml *.csv)</translation>
    </message>
    <message>
        <source>Kept as real case {ref} ({date}): {met} of {applies} indicators met.</source>
        <translation>已儲存為真實病例 {ref}（{date}）：{applies} 項指標中 {met} 項達標。</translation>
    </message>
    <message>
        <source>Left out because they could name someone: {what}.</source>
        <translation>因可能識別身分而省略：{what}。</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>…另有 {n} 條</translation>
    </message>
    <message>
        <source>Nothing was kept:</source>
        <translation>未儲存任何內容：</translation>
    </message>
    <message>
        <source>Withdraw case</source>
        <translation>撤銷病例</translation>
    </message>
    <message>
        <source>Why is case {ref} withdrawn?</source>
        <translation>為何撤銷病例 {ref}？</translation>
    </message>
    <message>
        <source>Nothing was changed:</source>
        <translation>未作任何變更：</translation>
    </message>
    <message>
        <source>Case {ref} withdrawn: kept in the record, counted nowhere.</source>
        <translation>病例 {ref} 已撤銷：保留在紀錄中，不計入任何統計。</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>← Back to library</source>
        <translation>← 返回情境庫</translation>
    </message>
    <message>
        <source>Expected action</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Done at</source>
        <translation>完成時間</translation>
    </message>
    <message>
        <source>Window closed</source>
        <translation>時間窗關閉</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Entered at</source>
        <translation>進入時間</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>階段</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>處置</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>規則</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>執行者</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細資料</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>States</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件紀錄</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>Script: {script} · weight {weight} kg · conditions: {conds} · version {version}</source>
        <translation>腳本：{script} · 體重 {weight} kg · 共病：{conds} · 版本 {version}</translation>
    </message>
    <message>
        <source>HR (/min)</source>
        <translation>心率（次/分）</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>收縮壓（mmHg）</translation>
    </message>
    <message>
        <source>SpO₂ (%)</source>
        <translation>SpO₂（%）</translation>
    </message>
    <message>
        <source>Blood loss (mL, right axis)</source>
        <translation>出血量（mL，右軸）</translation>
    </message>
    <message>
        <source>within target</source>
        <translation>在目標內</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未達標</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不適用</translation>
    </message>
    <message>
        <source>Flags ({n})</source>
        <translation>警示（{n}）</translation>
    </message>
    <message>
        <source>Event log ({n})</source>
        <translation>事件紀錄（{n}）</translation>
    </message>
    <message>
        <source>Blood loss {loss} mL · last state entered at {entered} · run ended at {end}</source>
        <translation>出血量 {loss} mL · 最後狀態進入於 {entered} · 執行結束於 {end}</translation>
    </message>
</context>
<context>
    <name>RunForm</name>
    <message>
        <source>Run from a script (full speed, no monitor)</source>
        <translation>依腳本執行（全速，無監視器）</translation>
    </message>
    <message>
        <source>Choose script file…</source>
        <translation>選擇腳本檔案…</translation>
    </message>
    <message>
        <source>Run at full speed</source>
        <translation>全速執行</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>變化型</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>體重</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>共病</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>腳本</translation>
    </message>
    <message>
        <source>{min}–{max} kg for this scenario</source>
        <translation>本情境為 {min}–{max} kg</translation>
    </message>
    <message>
        <source>none offered by this scenario</source>
        <translation>本情境未提供</translation>
    </message>
    <message>
        <source>Custom (the conditions ticked below)</source>
        <translation>自訂（下方勾選的共病）</translation>
    </message>
    <message>
        <source>No actions — untreated course</source>
        <translation>無處置——未治療病程</translation>
    </message>
    <message>
        <source>Choose a drill script</source>
        <translation>選擇演練腳本</translation>
    </message>
    <message>
        <source>Drill scripts (*.yaml *.yml);;All files (*)</source>
        <translation>演練腳本 (*.yaml *.yml);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>This script cannot be played until it is fixed.</source>
        <translation>修正此腳本之前無法執行。</translation>
    </message>
    <message>
        <source>Nothing is done: the patient follows the untreated course for {minutes} min.</source>
        <translation>不做任何處置：病人依未治療病程進展 {minutes} 分鐘。</translation>
    </message>
    <message>
        <source>{n} timed actions by {people} participants over {minutes} min.</source>
        <translation>{people} 位參與者在 {minutes} 分鐘內完成 {n} 項計時處置。</translation>
    </message>
    <message>
        <source>1 problem in this script</source>
        <translation>此腳本有 1 個問題</translation>
    </message>
    <message>
        <source>{n} problems in this script</source>
        <translation>此腳本有 {n} 個問題</translation>
    </message>
</context>
<context>
    <name>ScoringPanel</name>
    <message>
        <source>Item</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分數</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依據</translation>
    </message>
    <message>
        <source>Mark or override</source>
        <translation>評分或覆寫</translation>
    </message>
    <message>
        <source>Comments for the trainee and the record</source>
        <translation>給學員與紀錄的評語</translation>
    </message>
    <message>
        <source>Choose the examiner above</source>
        <translation>請在上方選擇考官</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>簽署…</translation>
    </message>
    <message>
        <source>Amend…</source>
        <translation>修訂…</translation>
    </message>
    <message>
        <source>Global rating</source>
        <translation>整體評分</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>評語</translation>
    </message>
    <message>
        <source>Examiner</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>核對表</translation>
    </message>
    <message>
        <source>Re-score</source>
        <translation>重新評分</translation>
    </message>
    <message>
        <source>Add examiner…</source>
        <translation>新增考官…</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>團隊</translation>
    </message>
    <message>
        <source>met</source>
        <translation>達標</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未達標</translation>
    </message>
    <message>
        <source>late</source>
        <translation>延遲</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不適用</translation>
    </message>
    <message>
        <source>not observed</source>
        <translation>未觀察到</translation>
    </message>
    <message>
        <source>awaiting the examiner</source>
        <translation>待考官評分</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通過</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通過</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>— not marked —</source>
        <translation>— 未評分 —</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>— not graded —</source>
        <translation>— 未評等 —</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>人工覆寫…</translation>
    </message>
    <message>
        <source>— no rating —</source>
        <translation>— 無評分 —</translation>
    </message>
    <message>
        <source>{status} (overridden)</source>
        <translation>{status}（已覆寫）</translation>
    </message>
    <message>
        <source>Overridden from {was}: {reason}</source>
        <translation>由「{was}」覆寫：{reason}</translation>
    </message>
    <message>
        <source>Change override…</source>
        <translation>修改人工覆寫…</translation>
    </message>
    <message>
        <source>{verdict} · {total} · cut score {cut} % — {reason}</source>
        <translation>{verdict} · {total} · 及格標準 {cut} % — {reason}</translation>
    </message>
    <message>
        <source>Add examiner</source>
        <translation>新增考官</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Staff ID</source>
        <translation>員工編號</translation>
    </message>
    <message>
        <source>Marks not kept: {reason}</source>
        <translation>評分未儲存：{reason}</translation>
    </message>
    <message>
        <source>This sheet is signed: its marks are read-only (Amend… corrects them, with a reason).</source>
        <translation>此評分表已簽署：評分為唯讀（「修訂…」可更正，需註明理由）。</translation>
    </message>
    <message>
        <source>Not in an archive: marks are not kept.</source>
        <translation>不在檔案庫中：評分不會儲存。</translation>
    </message>
    <message>
        <source>Choose the examiner: marks are kept as their draft.</source>
        <translation>請選擇考官：評分將儲存為該考官的草稿。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>Every mark is kept as {who}&apos;s draft.</source>
        <translation>每項評分均已儲存為 {who} 的草稿。</translation>
    </message>
    <message>
        <source>global rating</source>
        <translation>整體評價</translation>
    </message>
    <message>
        <source>{block}: {elements}</source>
        <translation>{block}：{elements}</translation>
    </message>
    <message>
        <source>Not signed yet — still to rate: {list}</source>
        <translation>尚未簽署——仍需評定：{list}</translation>
    </message>
    <message>
        <source>Sign the sheet</source>
        <translation>簽署評分表</translation>
    </message>
    <message>
        <source>Sign this sheet as {who}? Once signed it can only be amended, with a reason.

{verdict}</source>
        <translation>以 {who} 的身分簽署此評分表？簽署後只能附理由進行修訂。

{verdict}</translation>
    </message>
    <message>
        <source>This drill is not in an archive, so its sheet cannot be signed.</source>
        <translation>此演練不在檔案庫中，因此其評分表無法簽署。</translation>
    </message>
    <message>
        <source>Choose the examiner who signs (one of the drill&apos;s, or add one).</source>
        <translation>請選擇簽署的考官（本次演練的考官之一，或新增一位）。</translation>
    </message>
    <message>
        <source>Not signed: {reason}</source>
        <translation>未簽署：{reason}</translation>
    </message>
    <message>
        <source>Signed by {who} at {when} · record {sha}</source>
        <translation>由 {who} 於 {when} 簽署 · 紀錄 {sha}</translation>
    </message>
    <message>
        <source>Amended (version {v}): {why}</source>
        <translation>已修訂（第 {v} 版）：{why}</translation>
    </message>
    <message>
        <source>Amend a signed sheet</source>
        <translation>修訂已簽署的評分表</translation>
    </message>
    <message>
        <source>Why does the signed sheet change? (The signed version is kept; the amendment is signed by you, with this reason.)</source>
        <translation>已簽署的評分表為何變更？（已簽署的版本將保留；修訂由您簽署並附此理由。）</translation>
    </message>
    <message>
        <source>An amendment needs a reason: say why the signed sheet changes.</source>
        <translation>修訂須附理由：請說明已簽署的評分表為何變更。</translation>
    </message>
    <message>
        <source>Sign amendment…</source>
        <translation>簽署修訂…</translation>
    </message>
    <message>
        <source>Amending the signed sheet: {why}</source>
        <translation>正在修訂已簽署的評分表：{why}</translation>
    </message>
</context>
<context>
    <name>SetupForm</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Staff ID</source>
        <translation>員工編號</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Add participant</source>
        <translation>新增參與者</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>移除所選</translation>
    </message>
    <message>
        <source>Required roles: {}</source>
        <translation>必要角色：{}</translation>
    </message>
    <message>
        <source>{} – {} kg</source>
        <translation>{} – {} kg</translation>
    </message>
    <message>
        <source>Custom (the conditions ticked below)</source>
        <translation>自訂（下方勾選的共病）</translation>
    </message>
    <message>
        <source>Formative</source>
        <translation>形成性</translation>
    </message>
    <message>
        <source>Summative</source>
        <translation>總結性</translation>
    </message>
    <message>
        <source>High-stakes</source>
        <translation>高風險</translation>
    </message>
    <message>
        <source>One examiner per line: name, staff ID (e.g. Dr Zhou, E01)</source>
        <translation>每行一位考官：姓名, 員工編號（例如：周醫師, E01）</translation>
    </message>
    <message>
        <source>Find an examiner the archive knows…</source>
        <translation>搜尋檔案庫中已有的考官…</translation>
    </message>
    <message>
        <source>Continue to prebrief</source>
        <translation>繼續進入模擬前說明</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back to the scenario library; no drill is started</source>
        <translation>返回情境庫；不會開始演練</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>參與者</translation>
    </message>
    <message>
        <source>Patient weight</source>
        <translation>病人體重</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>變化型</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>共病</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>評量類型</translation>
    </message>
    <message>
        <source>Examiners</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Hospital (site)</source>
        <translation>醫院（院區）</translation>
    </message>
    <message>
        <source>e.g. Obstetrics</source>
        <translation>例如：產科</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科別</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院區</translation>
    </message>
    <message>
        <source>Every participant needs a name.</source>
        <translation>每位參與者都需要填寫姓名。</translation>
    </message>
    <message>
        <source>A staff ID is used twice.</source>
        <translation>有員工編號重複使用。</translation>
    </message>
    <message>
        <source>Required role not filled: {}</source>
        <translation>必要角色未指派：{}</translation>
    </message>
    <message>
        <source>Weight must be between {} and {} kg.</source>
        <translation>體重必須介於 {} 至 {} kg 之間。</translation>
    </message>
    <message>
        <source>A summative or high-stakes drill needs at least one examiner.</source>
        <translation>總結性或高風險演練至少需要一位考官。</translation>
    </message>
    <message>
        <source>Cancel setup</source>
        <translation>取消設定</translation>
    </message>
    <message>
        <source>Leave the setup? The names you entered are not kept; no drill was started.</source>
        <translation>離開設定？已輸入的姓名不會保留；尚未開始演練。</translation>
    </message>
</context>
<context>
    <name>StationsView</name>
    <message>
        <source>Score station…</source>
        <translation>考站評分…</translation>
    </message>
    <message>
        <source>Start station now</source>
        <translation>立即開始考站</translation>
    </message>
    <message>
        <source>End the reading time: the candidate starts the task</source>
        <translation>結束閱讀時間：考生開始操作</translation>
    </message>
    <message>
        <source>Candidate finished</source>
        <translation>考生已完成</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>考生</translation>
    </message>
    <message>
        <source>Examiner</source>
        <translation>考官</translation>
    </message>
    <message>
        <source>Choose the candidate</source>
        <translation>請選擇考生</translation>
    </message>
    <message>
        <source>Choose the examiner</source>
        <translation>請選擇考官</translation>
    </message>
    <message>
        <source>Skills stations</source>
        <translation>技能考站</translation>
    </message>
    <message>
        <source>Choose a station, the candidate and the examiner, then press Score station… to start the station clock and mark.</source>
        <translation>請選擇考站、考生和考官，然後點擊「考站評分…」開始考站計時並評分。</translation>
    </message>
    <message>
        <source>Station time %1 · reading time %2</source>
        <translation>考站時間 %1 · 閱讀時間 %2</translation>
    </message>
    <message>
        <source>Station time</source>
        <translation>考站時間</translation>
    </message>
    <message>
        <source>Score station</source>
        <translation>考站評分</translation>
    </message>
    <message>
        <source>Choose a station, a candidate and an examiner first.</source>
        <translation>請先選擇考站、考生和考官。</translation>
    </message>
    <message>
        <source>Reading time</source>
        <translation>閱讀時間</translation>
    </message>
    <message>
        <source>Time used</source>
        <translation>已用時間</translation>
    </message>
</context>
<context>
    <name>ThreatsPanel</name>
    <message>
        <source>equipment</source>
        <translation>設備</translation>
    </message>
    <message>
        <source>process</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>people</source>
        <translation>人員</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>環境</translation>
    </message>
    <message>
        <source>communication</source>
        <translation>溝通</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>extreme</source>
        <translation>極高</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>類別</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>風險</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>發現的問題</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>What was found (e.g. the second oxytocin ampoule was missing from the PPH trolley)</source>
        <translation>發現的問題（例如：產後出血急救車缺少第二支縮宮素）</translation>
    </message>
    <message>
        <source>1 rare … 5 almost certain</source>
        <translation>1 罕見 … 5 幾乎肯定</translation>
    </message>
    <message>
        <source>1 negligible … 5 catastrophic</source>
        <translation>1 可忽略 … 5 災難性</translation>
    </message>
    <message>
        <source>Root cause (why it could happen)</source>
        <translation>根本原因（為何會發生）</translation>
    </message>
    <message>
        <source>Record threat</source>
        <translation>記錄威脅</translation>
    </message>
    <message>
        <source>Revise selected</source>
        <translation>修訂所選</translation>
    </message>
    <message>
        <source>Threats are kept in the archive; a change is kept as a revision.</source>
        <translation>威脅保存在檔案庫中；修改以修訂形式保存。</translation>
    </message>
    <message>
        <source>Likelihood</source>
        <translation>可能性</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>嚴重程度</translation>
    </message>
    <message>
        <source>Events · indicators</source>
        <translation>事件 · 指標</translation>
    </message>
    <message>
        <source>Threats could not be read: {reason}</source>
        <translation>無法讀取安全威脅：{reason}</translation>
    </message>
    <message>
        <source>Record revision of #{n}</source>
        <translation>記錄 #{n} 的修訂</translation>
    </message>
    <message>
        <source>Not recorded: {reason}</source>
        <translation>未記錄：{reason}</translation>
    </message>
    <message>
        <source>Threat #{n} recorded.</source>
        <translation>威脅 #{n} 已記錄。</translation>
    </message>
</context>
<context>
    <name>TraineePortfolio</name>
    <message>
        <source>Trainee name or staff id</source>
        <translation>學員姓名或員工編號</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>匯出 PDF…</translation>
    </message>
    <message>
        <source>The trainee&apos;s portfolio as a PDF for their file</source>
        <translation>將學員學習歷程匯出為 PDF，存入其個人檔案</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <source>n</source>
        <translation>例數</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>達成</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位數</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趨勢</translation>
    </message>
    <message>
        <source>Drills</source>
        <translation>演練次數</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>平均分數</translation>
    </message>
    <message>
        <source>Indicator medians</source>
        <translation>指標中位數</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>學員</translation>
    </message>
    <message>
        <source>Indicators over time</source>
        <translation>指標隨時間變化</translation>
    </message>
    <message>
        <source>One point per drill the indicator applied to, oldest first; green: met, red: missed, a red cross: not done; the dashed line is the target.</source>
        <translation>每個點為一次適用該指標的演練，依時間先後排列；綠色：達成，紅色：未達成，紅色叉：未完成；虛線為目標。</translation>
    </message>
    <message>
        <source>Critical items</source>
        <translation>關鍵項目</translation>
    </message>
    <message>
        <source>Each critical rubric item per drill as the examiner scored it (* not final: no signature yet); — not scored in that drill.</source>
        <translation>每次演練的各關鍵評分項目，依考官評分（* 尚未簽署，非最終結果）；— 表示該次演練未評此項。</translation>
    </message>
    <message>
        <source>By scenario</source>
        <translation>依情境</translation>
    </message>
    <message>
        <source>%1 · staff id %2 · %3 · %4 drill(s)</source>
        <translation>%1 · 員工編號 %2 · %3 · %4 次演練</translation>
    </message>
    <message>
        <source>Drills at: %1</source>
        <translation>演練地點：%1</translation>
    </message>
    <message>
        <source>records merged: %1</source>
        <translation>已合併紀錄：%1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院區</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Own score</source>
        <translation>個人分數</translation>
    </message>
    <message>
        <source>Team score</source>
        <translation>團隊分數</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不適用</translation>
    </message>
    <message>
        <source>not done</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>%1 (imported)</source>
        <translation>%1（匯入）</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>too few drills (n=%1)</source>
        <translation>演練次數過少（n=%1）</translation>
    </message>
    <message>
        <source>%1 (team)</source>
        <translation>%1（團隊）</translation>
    </message>
    <message>
        <source>met</source>
        <translation>達標</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>遺漏</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>Met, of the drills it was scored in</source>
        <translation>達標演練數 / 評分演練數</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>匯出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 檔案 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要取代嗎？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在產生 PDF…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已儲存 %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>匯出失敗：%1</translation>
    </message>
</context>
<context>
    <name>TraineeProgress</name>
    <message>
        <source>independent</source>
        <translation>獨立完成</translation>
    </message>
    <message>
        <source>supervised</source>
        <translation>上級醫師指導下</translation>
    </message>
    <message>
        <source>assisted</source>
        <translation>參與完成</translation>
    </message>
    <message>
        <source>Trainee name or staff id</source>
        <translation>學員姓名或員工編號</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>匯出 PDF…</translation>
    </message>
    <message>
        <source>The trainee&apos;s progress against the programme as a PDF for their file</source>
        <translation>學員對照培訓方案的進度，匯出為 PDF 存檔</translation>
    </message>
    <message>
        <source>Choose a trainee and a programme.</source>
        <translation>請選擇學員和培訓方案。</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>級別</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待簽</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>尚缺</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>培訓進度</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>階段</translation>
    </message>
    <message>
        <source>Credited by</source>
        <translation>計入依據</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>類型</translation>
    </message>
    <message>
        <source>Latest result</source>
        <translation>最近結果</translation>
    </message>
    <message>
        <source>Retraining due</source>
        <translation>重新培訓截止</translation>
    </message>
    <message>
        <source>History</source>
        <translation>歷史記錄</translation>
    </message>
    <message>
        <source>Add logbook entry…</source>
        <translation>新增病例登記…</translation>
    </message>
    <message>
        <source>A procedure the trainee did: it counts once the supervisor countersigns it</source>
        <translation>學員完成的一項操作：上級醫師簽字確認後計入</translation>
    </message>
    <message>
        <source>The shown trainee&apos;s entries, or everything one supervisor has to countersign</source>
        <translation>所示學員的登記，或某位上級醫師待簽字確認的全部登記</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>登記</translation>
    </message>
    <message>
        <source>Trainee</source>
        <translation>學員</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>上級醫師</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>院區</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>病例編號（匿名）</translation>
    </message>
    <message>
        <source>Complications</source>
        <translation>併發症</translation>
    </message>
    <message>
        <source>Countersign…</source>
        <translation>簽字確認…</translation>
    </message>
    <message>
        <source>Countersign the selected entry; a countersigned entry can never be changed</source>
        <translation>為所選登記簽字確認；簽字確認後的登記不可再更改</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>培訓方案</translation>
    </message>
    <message>
        <source>Procedures by stage</source>
        <translation>各階段操作要求</translation>
    </message>
    <message>
        <source>Countersigned logbook entries at each supervision level. Pending: logged, not yet countersigned; they count once a supervisor signs them.</source>
        <translation>各督導級別下已簽字確認的病例登記。待簽：已登記、尚未簽字確認；上級醫師簽字後計入。</translation>
    </message>
    <message>
        <source>Simulation</source>
        <translation>模擬</translation>
    </message>
    <message>
        <source>Signed score sheets with a pass verdict: the trainee&apos;s own, or the team sheet of a drill they took part in.</source>
        <translation>判定為通過的已簽署評分表：學員本人的評分表，或其參加的演練的團隊評分表。</translation>
    </message>
    <message>
        <source>Exams</source>
        <translation>考核</translation>
    </message>
    <message>
        <source>Recorded results and signed OSCE sheets, oldest first; the latest decides. A failed exam sets a retraining date.</source>
        <translation>已記錄的成績和已簽署的 OSCE 評分表，按時間先後排列；以最近一次為準。考核未通過將設定重新培訓日期。</translation>
    </message>
    <message>
        <source>Pending countersignature:</source>
        <translation>待上級醫師簽字：</translation>
    </message>
    <message>
        <source>Logbook</source>
        <translation>病例登記</translation>
    </message>
    <message>
        <source>this trainee</source>
        <translation>該學員</translation>
    </message>
    <message>
        <source>awaiting %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <source>%1 · staff id %2 · %3, version %4</source>
        <translation>%1 · 工號 %2 · %3，版本 %4</translation>
    </message>
    <message>
        <source>Procedures: %1 of %2 requirements not met (%3 cases missing)</source>
        <translation>操作：%2 項要求中 %1 項未達到（尚缺 %3 例）</translation>
    </message>
    <message>
        <source>Simulation: %1 (%2 missing)</source>
        <translation>模擬：%1（尚缺 %2）</translation>
    </message>
    <message>
        <source>Exam: %1 (%2)</source>
        <translation>考核：%1（%2）</translation>
    </message>
    <message>
        <source>Cleared to work since %1</source>
        <translation>自 %1 起准予上崗</translation>
    </message>
    <message numerus="yes">
        <source>Not cleared: %n requirement(s) missing</source>
        <translation>
            <numerusform>尚未准予上崗：%n 項要求未完成</numerusform>
        </translation>
    </message>
    <message>
        <source>Not cleared to work</source>
        <translation>尚未准予上崗</translation>
    </message>
    <message>
        <source>Retraining due by %1</source>
        <translation>須於 %1 前完成重新培訓</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通過</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通過</translation>
    </message>
    <message>
        <source>no result yet</source>
        <translation>尚無結果</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>result recorded, examiner %1</source>
        <translation>已記錄成績，考官 %1</translation>
    </message>
    <message>
        <source>result recorded</source>
        <translation>已記錄成績</translation>
    </message>
    <message>
        <source>a signed score sheet</source>
        <translation>已簽署的評分表</translation>
    </message>
    <message>
        <source>%1 — %2 of %3 met</source>
        <translation>%1——%3 項中 %2 項達到</translation>
    </message>
    <message>
        <source>practical</source>
        <translation>實操考核</translation>
    </message>
    <message>
        <source>written</source>
        <translation>理論考試</translation>
    </message>
    <message>
        <source>Countersign</source>
        <translation>簽字確認</translation>
    </message>
    <message>
        <source>Who is countersigning entry %1? Only the supervisor it names (%2) may.</source>
        <translation>由誰為登記 %1 簽字確認？只有登記中指定的上級醫師（%2）可以簽字。</translation>
    </message>
    <message>
        <source>Countersign entry %1 (%2, %3, case %4) as %5?

A countersigned entry can never be changed or withdrawn.</source>
        <translation>以 %5 的身分為登記 %1（%2，%3，病例 %4）簽字確認？

簽字確認後的登記不可再更改或撤回。</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>匯出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 檔案 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要取代嗎？</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在產生 PDF…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已儲存 %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>匯出失敗：%1</translation>
    </message>
</context>
<context>
    <name>VideoPanel</name>
    <message>
        <source>Attach video…</source>
        <translation>加入影片…</translation>
    </message>
    <message>
        <source>A room camera or phone recording of this drill (MP4 or MOV), lined up with the drill clock by one moment both show</source>
        <translation>本次演練的房間攝影機或手機錄影（MP4 或 MOV），透過兩者都出現的一個時刻與演練時鐘對齊</translation>
    </message>
    <message>
        <source>No video is attached to this drill: “Attach video…” adds a room camera or phone recording.</source>
        <translation>本次演練尚未加入影片：點選「加入影片…」可加入房間攝影機或手機錄影。</translation>
    </message>
    <message>
        <source>No video: Qt Multimedia is not installed (the PySide6-Addons package); the rest of the debrief works without it.</source>
        <translation>無影片：未安裝 Qt Multimedia（PySide6-Addons 套件）；回饋討論的其他功能不受影響。</translation>
    </message>
    <message>
        <source>Video: {name}, from {start} to {end} of the drill</source>
        <translation>影片：{name}，演練 {start} 至 {end}</translation>
    </message>
    <message>
        <source>The video file is not in this archive: the bundle this drill came in did not carry it (bundle export --with-media).</source>
        <translation>影片檔案不在本檔案庫中：此演練所在的資料包未包含它（bundle export --with-media）。</translation>
    </message>
    <message>
        <source>The video file {file} is missing (simtool verify names it).</source>
        <translation>影片檔 {file} 遺失（simtool verify 會指出）。</translation>
    </message>
    <message>
        <source>No video: {reason}</source>
        <translation>無影片：{reason}</translation>
    </message>
    <message>
        <source>Qt cannot play this video (its codec may not be supported)</source>
        <translation>Qt 無法播放此影片（可能不支援其編碼格式）</translation>
    </message>
    <message>
        <source>The video starts at {start} and ends at {end} of the drill.</source>
        <translation>影片在演練的 {start} 開始、{end} 結束。</translation>
    </message>
</context>
<context>
    <name>VitalsChart</name>
    <message>
        <source>Time since start (min)</source>
        <translation>開始後時間（分鐘）</translation>
    </message>
    <message>
        <source>HR · SBP · SpO₂</source>
        <translation>心率 · 收縮壓 · SpO₂</translation>
    </message>
    <message>
        <source>Blood loss (mL)</source>
        <translation>出血量（mL）</translation>
    </message>
    <message>
        <source>No vitals recorded</source>
        <translation>無生命徵象紀錄</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>A file has problems, so this could not be done:</source>
        <translation>檔案有問題，因此無法完成此操作：</translation>
    </message>
    <message>
        <source>Could not read or write {file}: {reason}</source>
        <translation>無法讀取或寫入 {file}：{reason}</translation>
    </message>
    <message>
        <source>a file</source>
        <translation>某個檔案</translation>
    </message>
    <message>
        <source>Something went wrong inside simtool, and the last action did not finish. Your files are unchanged; you can carry on.</source>
        <translation>simtool 內部發生錯誤，上一個操作未能完成。你的檔案沒有變動，可以繼續使用。</translation>
    </message>
</context>
<context>
    <name>details</name>
    <message>
        <source>(optional)</source>
        <translation>（選填）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>體重</translation>
    </message>
    <message>
        <source>{default} kg (adjustable {min}–{max} kg)</source>
        <translation>{default} kg（可調 {min}–{max} kg）</translation>
    </message>
    <message>
        <source>Conditions you can add</source>
        <translation>可加入的共病</translation>
    </message>
    <message>
        <source>no added conditions</source>
        <translation>無附加共病</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>變化型</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>時長</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分鐘</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>States</source>
        <translation>狀態數</translation>
    </message>
    <message>
        <source>Expected actions</source>
        <translation>預期處置</translation>
    </message>
    <message>
        <source>{file} · id {id} · version {version}</source>
        <translation>{file} · 編號 {id} · 版本 {version}</translation>
    </message>
    <message>
        <source>Learning objectives</source>
        <translation>學習目標</translation>
    </message>
    <message>
        <source>Drill</source>
        <translation>演練</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>病人</translation>
    </message>
    <message>
        <source>Briefing read to the team</source>
        <translation>向團隊宣讀的簡報</translation>
    </message>
    <message>
        <source>{n} actions shared by every scenario, so the same intervention has the same id in every drill and drills can be compared across scenarios.</source>
        <translation>所有情境共用 {n} 項處置，因此同一介入在每次演練中編號相同，不同情境的演練可以互相比較。</translation>
    </message>
    <message>
        <source>Action catalogue</source>
        <translation>處置目錄</translation>
    </message>
    <message>
        <source>Actions by category</source>
        <translation>依類別列出的處置</translation>
    </message>
</context>
<context>
    <name>display</name>
    <message>
        <source>met</source>
        <translation>達標</translation>
    </message>
    <message>
        <source>late</source>
        <translation>延遲</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>遺漏</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>不適用</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>due</source>
        <translation>待完成</translation>
    </message>
    <message>
        <source>Stabilised</source>
        <translation>病情穩定</translation>
    </message>
    <message>
        <source>Deteriorated</source>
        <translation>病情惡化</translation>
    </message>
    <message>
        <source>Patient died</source>
        <translation>病人死亡</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>已交班</translation>
    </message>
    <message>
        <source>Ended in a final state</source>
        <translation>在終點狀態結束</translation>
    </message>
    <message>
        <source>Not resolved when the drill ended</source>
        <translation>演練結束時尚未解決</translation>
    </message>
    <message>
        <source>Asthma</source>
        <translation>氣喘</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>高血壓</translation>
    </message>
    <message>
        <source>Pre-eclampsia</source>
        <translation>子癲前症</translation>
    </message>
    <message>
        <source>Anticoagulated</source>
        <translation>使用抗凝血劑中</translation>
    </message>
    <message>
        <source>Cardiac disease</source>
        <translation>心臟病</translation>
    </message>
    <message>
        <source>Glaucoma</source>
        <translation>青光眼</translation>
    </message>
    <message>
        <source>Uterotonics</source>
        <translation>子宮收縮劑</translation>
    </message>
    <message>
        <source>Haemostatics</source>
        <translation>止血藥物</translation>
    </message>
    <message>
        <source>Fluids</source>
        <translation>輸液</translation>
    </message>
    <message>
        <source>Blood products</source>
        <translation>血品</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>處置</translation>
    </message>
    <message>
        <source>Communication</source>
        <translation>溝通</translation>
    </message>
    <message>
        <source>Airway and breathing</source>
        <translation>呼吸道與呼吸</translation>
    </message>
    <message>
        <source>Other drugs</source>
        <translation>其他藥物</translation>
    </message>
    <message>
        <source>Resuscitation</source>
        <translation>復甦</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>評估</translation>
    </message>
</context>
<context>
    <name>eventlog</name>
    <message>
        <source>contraindicated</source>
        <translation>禁忌</translation>
    </message>
    <message>
        <source>single dose over the limit</source>
        <translation>單次劑量超過上限</translation>
    </message>
    <message>
        <source>total dose over the limit</source>
        <translation>累計劑量超過上限</translation>
    </message>
    <message>
        <source>too soon after the last dose</source>
        <translation>距上次給藥間隔過短</translation>
    </message>
    <message>
        <source>too many doses</source>
        <translation>給藥次數過多</translation>
    </message>
    <message>
        <source>outside its time window</source>
        <translation>超出時間窗</translation>
    </message>
    <message>
        <source>dose outside the usual range</source>
        <translation>劑量超出常用範圍</translation>
    </message>
    <message>
        <source>unusual route</source>
        <translation>給藥途徑不常見</translation>
    </message>
    <message>
        <source>to be avoided in this scenario</source>
        <translation>本情境中應避免</translation>
    </message>
    <message>
        <source>not its indication here</source>
        <translation>此處不符合適應症</translation>
    </message>
    <message>
        <source>together with similar drugs over the limit</source>
        <translation>與同類藥物合計超過上限</translation>
    </message>
    <message>
        <source>volume over the limit</source>
        <translation>容量超過上限</translation>
    </message>
    <message>
        <source>given too early</source>
        <translation>給藥過早</translation>
    </message>
    <message>
        <source>start of the drill</source>
        <translation>演練開始</translation>
    </message>
    <message>
        <source>condition met</source>
        <translation>條件符合</translation>
    </message>
    <message>
        <source>time limit in the previous state</source>
        <translation>上一狀態逾時</translation>
    </message>
    <message>
        <source>after {action}</source>
        <translation>{action}之後</translation>
    </message>
    <message>
        <source>moved by the instructor</source>
        <translation>由指導者切換</translation>
    </message>
    <message>
        <source>Drill started in “{state}”</source>
        <translation>演練從「{state}」開始</translation>
    </message>
    <message>
        <source>Marker: {marker}</source>
        <translation>標記：{marker}</translation>
    </message>
    <message>
        <source>State → {state}</source>
        <translation>狀態 → {state}</translation>
    </message>
    <message>
        <source>⚑ Flag on {action}</source>
        <translation>⚑ 警示：{action}</translation>
    </message>
    <message>
        <source>Instructor moved to “{state}”</source>
        <translation>指導者切換至「{state}」</translation>
    </message>
    <message>
        <source>Withdrawn: {action}</source>
        <translation>已撤回：{action}</translation>
    </message>
    <message>
        <source>Corrected: {action}</source>
        <translation>已更正：{action}</translation>
    </message>
    <message>
        <source>Flag withdrawn on {action}</source>
        <translation>已撤銷對 {action} 的警示</translation>
    </message>
    <message>
        <source>Lab results (sample of {time})</source>
        <translation>檢驗結果（{time}送檢）</translation>
    </message>
    <message>
        <source>Blood-loss drape shown</source>
        <translation>已顯示失血計量</translation>
    </message>
    <message>
        <source>Blood-loss drape hidden</source>
        <translation>已隱藏失血計量</translation>
    </message>
    <message>
        <source>Monitor blanked</source>
        <translation>監視器黑屏</translation>
    </message>
    <message>
        <source>Monitor shown again</source>
        <translation>監視器恢復顯示</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>已繼續</translation>
    </message>
    <message>
        <source>Drill ended</source>
        <translation>演練結束</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>指導者</translation>
    </message>
    <message>
        <source>withdrew event #{ref}</source>
        <translation>撤回了事件 #{ref}</translation>
    </message>
    <message>
        <source>{rule} no longer applies after a correction</source>
        <translation>更正後 {rule} 不再適用</translation>
    </message>
    <message>
        <source>by {who}</source>
        <translation>執行者 {who}</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>時間 {time}</translation>
    </message>
    <message>
        <source>event #{ref} corrected: {changes}</source>
        <translation>事件 #{ref} 已更正：{changes}</translation>
    </message>
</context>
<context>
    <name>upgrade</name>
    <message>
        <source>Upgrading the archive: computing the indicator results of {n} drills, once. Please wait…</source>
        <translation>正在升級檔案庫：一次性計算 {n} 次演練的指標結果，請稍候…</translation>
    </message>
    <message>
        <source>Upgrading the archive: summing the indicator results of {n} scenario months, once. Please wait…</source>
        <translation>正在升級檔案庫：彙總 {n} 個情境月份的指標結果（僅此一次）。請稍候…</translation>
    </message>
    <message>
        <source>Upgrading the archive. Please wait…</source>
        <translation>正在升級檔案庫，請稍候…</translation>
    </message>
</context>
</TS>
